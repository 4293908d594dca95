"""Saving a row the way every service does: validated in full, with the reason its history records."""


def save_checked(obj, reason: str):
    obj.full_clean()
    obj._change_reason = reason
    obj.save()
    return obj
