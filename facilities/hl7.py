"""HL7 v2 ADT over MLLP: messages read with python-hl7, turned into the one ADT shape (facilities.adt), stored
and applied, and answered with an ACK: AA when applied (or a repeat of an applied message), AE when
refused with the reason, AR when the message cannot be read or is not one we take.

The listener keeps no state of its own: everything lives in the database, so a restart loses nothing,
and a message re-sent after a lost ACK is recognised by its control id and answered as the first time."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

import hl7
import hl7.mllp
from asgiref.sync import sync_to_async
from django.core.exceptions import ValidationError
from django.db import close_old_connections
from django.utils import timezone

from hospital_ops.scoping import hospital_zone

from . import adt
from .models import AdtEvent

log = logging.getLogger("facilities.hl7")

TRIGGERS = {
    "A01": "admit",
    "A02": "transfer",
    "A03": "discharge",
    "A04": "pre-admit",
    "A08": "update",
    "A11": "cancel-admit",
    "A12": "cancel-transfer",
    "A13": "cancel-discharge",
}
VERSIONS = {"2.3", "2.3.1", "2.4", "2.5", "2.5.1"}
MAX_MESSAGE_BYTES = 64 * 1024
APPLICATION, FACILITY = "HOSPITAL_OPS", "HOSPITAL"


class Unreadable(ValueError):
    """The message is not an HL7 v2 ADT message we take (the reason is the AR's text)."""


def _field(message, segment: str, field: int, component: int = 1) -> str:
    try:
        return str(message.extract_field(segment, 1, field, 1, component) or "").strip()
    except (KeyError, IndexError, ValueError):
        return ""


def _time(value: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = hl7.parse_datetime(value)
    except (ValueError, TypeError) as error:
        raise Unreadable(f"Unreadable time {value!r}.") from error
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=hospital_zone())
    return moment


def _date(value: str) -> dt.date | None:
    moment = _time(value)
    return moment.date() if moment else None


def parse(text: str) -> tuple[hl7.Message, adt.AdtMessage]:
    """The message and its ADT event; Unreadable with the reason otherwise."""
    if not text.lstrip().startswith("MSH"):
        raise Unreadable("The message does not start with an MSH segment.")
    try:
        message = hl7.parse(text.replace("\r\n", "\r").replace("\n", "\r"))
        message.segment("MSH")
    except Exception as error:  # python-hl7 raises several kinds on a broken message
        raise Unreadable(f"The message cannot be parsed: {error}") from error
    kind, trigger = _field(message, "MSH", 9, 1), _field(message, "MSH", 9, 2)
    version = _field(message, "MSH", 12)
    control_id = _field(message, "MSH", 10)
    if kind != "ADT":
        raise Unreadable(f"Only ADT messages are taken here, not {kind or 'an untyped message'}.")
    if trigger not in TRIGGERS:
        raise Unreadable(f"ADT^{trigger} is not taken here (A01, A02, A03, A04, A08, A11, A12, A13).")
    if version not in VERSIONS:
        raise Unreadable(f"HL7 version {version or '?'} is not taken here (2.3 to 2.5.1).")
    if not control_id:
        raise Unreadable("MSH-10 (message control id) is empty.")
    encounter = _field(message, "PV1", 19) or _field(message, "PID", 18)
    if not encounter:
        raise Unreadable("PV1-19 (visit number) is empty: the encounter cannot be identified.")
    when = _time(_field(message, "EVN", 6)) or _time(_field(message, "EVN", 2)) or _time(_field(message, "MSH", 7))
    if when is None:
        raise Unreadable("No event time (EVN-6, EVN-2 or MSH-7).")
    try:
        adt.check_time(when)
    except ValidationError as error:
        raise Unreadable(f"Event time {when.isoformat()} is not plausible.") from error
    sender = _field(message, "MSH", 3)
    event = adt.AdtMessage(
        event=TRIGGERS[trigger],
        sender_event_id=f"{sender}:{control_id}"[:80] if sender else control_id[:80],
        event_time=when,
        encounter_number=encounter[:40],
        mrn=_field(message, "PID", 3)[:40],
        unit=_field(message, "PV1", 3, 1)[:20],
        room=_field(message, "PV1", 3, 2)[:20],
        bed=_field(message, "PV1", 3, 3)[:40],
        expected_discharge=_date(_field(message, "PV2", 9)),
        waiting_location=_field(message, "PV1", 6, 1)[:40] if trigger == "A04" else "",
        needs_isolation=True if _field(message, "PV1", 13) == "Y" or _field(message, "PV2", 2) == "ISO" else None,
    )
    if event.event == "transfer" and not event.bed:
        raise Unreadable("PV1-3 (assigned location) has no bed for the transfer.")
    if event.event in ("admit", "pre-admit") and not event.mrn:
        raise Unreadable("PID-3 (patient identifier) is empty.")
    if event.event == "admit" and not (event.bed or event.unit):
        raise Unreadable("PV1-3 (assigned location) is empty.")
    if event.event == "pre-admit" and not event.unit:
        raise Unreadable("PV1-3.1 (point of care) is empty: the unit the patient waits for is unknown.")
    return message, event


def _ack(message: hl7.Message | None, code: str, text: str) -> str:
    body = ""
    if message is not None:
        try:
            body = str(message.create_ack(code, application=APPLICATION, facility=FACILITY))
        except Exception:  # an MSH too short for python-hl7 to answer: answer by hand below
            body = ""
    if not body:
        stamp = timezone.now().strftime("%Y%m%d%H%M%S")
        control = _field(message, "MSH", 10).replace("|", "")[:20] if message is not None else ""
        body = f"MSH|^~\\&|{APPLICATION}|{FACILITY}|||{stamp}||ACK|{stamp}|P|2.5.1\rMSA|{code}|{control}"
    text = " ".join(text.replace("|", "/").replace("^", " ").replace("~", " ").replace("\\", "/").replace("&", "+")
                    .split())[:200]
    segments = [segment for segment in body.split("\r") if segment]
    segments = [f"{s}|{text}" if s.startswith("MSA|") else s for s in segments]
    return "\r".join(segments) + "\r"


def _readable_header(text: str) -> hl7.Message | None:
    """The message, when at least its MSH can be read (to address the ACK)."""
    if not text.lstrip().startswith("MSH"):
        return None
    try:
        message = hl7.parse(text.replace("\r\n", "\r").replace("\n", "\r"))
        message.segment("MSH")
    except Exception:  # an ACK without the sender's MSH is all we can give
        return None
    return message


def handle(raw: bytes, *, actor=None) -> str:
    """Store and apply one message; the ACK to send back. Never raises for what a sender sent."""
    text = raw.decode("utf-8", errors="replace")
    message = None
    try:
        message, event = parse(text)
    except Unreadable as error:
        message = _readable_header(text)
        adt.store_malformed(channel=AdtEvent.Channel.HL7, body=text, detail=str(error), actor=actor)
        return _ack(message, "AR", str(error))
    try:
        outcome = adt.receive(event, channel=AdtEvent.Channel.HL7, body=text, actor=actor)
    except Exception as error:  # a database hiccup: AE, and the sender re-sends
        log.exception("ADT message %s could not be stored", event.sender_event_id)
        return _ack(message, "AE", f"Not stored, send again: {type(error).__name__}")
    stored = outcome.event
    if stored.outcome == AdtEvent.Outcome.APPLIED:
        return _ack(message, "AA", "Repeat of an applied message." if outcome.repeated else stored.detail)
    if stored.outcome == AdtEvent.Outcome.MALFORMED:
        return _ack(message, "AR", stored.detail)
    return _ack(message, "AE", stored.detail)


def _handle_in_thread(raw: bytes) -> str:
    close_old_connections()
    try:
        return handle(raw)
    except Exception as error:  # whatever went wrong, the sender gets an answer and may send again
        log.exception("ADT message could not be handled")
        return _ack(None, "AE", f"Not stored, send again: {type(error).__name__}")
    finally:
        close_old_connections()


async def _client(reader, writer) -> None:
    peer = writer.get_extra_info("peername")
    handle_async = sync_to_async(_handle_in_thread, thread_sensitive=True)
    try:
        while not reader.at_eof():
            try:
                block = await reader.readblock()
            except hl7.mllp.InvalidBlockError as error:
                log.warning("Invalid MLLP block from %s: %s", peer, error)
                writer.writeblock(_ack(None, "AR", "Invalid MLLP framing.").encode())
                await writer.drain()
                continue
            except (asyncio.IncompleteReadError, ConnectionError):
                break
            except ValueError:  # over the size limit
                writer.writeblock(_ack(None, "AR", "Message too large.").encode())
                await writer.drain()
                continue
            ack = await handle_async(block[:MAX_MESSAGE_BYTES])
            writer.writeblock(ack.encode("utf-8"))
            await writer.drain()
    except Exception:  # one client's trouble never stops the listener
        log.exception("Connection from %s failed", peer)
    finally:
        writer.close()


async def serve(host: str, port: int, *, ready: asyncio.Event | None = None, stop: asyncio.Event | None = None):
    """Listen for MLLP connections until `stop` is set (or forever)."""
    server = await hl7.mllp.start_hl7_server(_client, host=host, port=port, limit=MAX_MESSAGE_BYTES)
    log.info("ADT listener on %s:%s", host, port)
    async with server:
        if ready is not None:
            ready.set()
        if stop is None:
            await server.serve_forever()
        else:
            await stop.wait()
