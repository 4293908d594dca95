"""Saving a row the way every service does: validated in full, with the reason its history records.

A history row's change reason is a short label ("approved", "revision 3: …"): simple-history keeps
it in a 100-character column, which PostgreSQL enforces. Whatever a person typed belongs in the
model's own field; the reason only summarises it, cut to fit."""

from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

REASON_MAX_LENGTH = 100  # simple-history's history_change_reason column


def short_reason(text: str | None) -> str | None:
    """`text` on one line, cut at a word to fit the history's change-reason column."""
    if text is None:
        return None
    text = " ".join(str(text).split())
    if len(text) <= REASON_MAX_LENGTH:
        return text
    cut = text[: REASON_MAX_LENGTH - 1]
    if " " in cut[REASON_MAX_LENGTH // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


def save_checked(obj, reason: str):
    obj.full_clean()
    obj._change_reason = reason  # cut to fit by _fit_change_reason below
    obj.save()
    return obj


@receiver(pre_create_historical_record)
def _fit_change_reason(sender, history_instance, **kwargs):
    """Every history row, however its reason was set (a service, the admin, a command), fits its column."""
    history_instance.history_change_reason = short_reason(history_instance.history_change_reason)
