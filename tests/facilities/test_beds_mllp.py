"""The HL7 v2 listener over a real MLLP socket, sent with python-hl7's client: every ADT trigger, ACK codes,
repeats, out-of-order and malformed messages, and a restart."""

import asyncio
import threading

import hl7
import pytest
from hl7.client import MLLPClient

from facilities import hl7 as listener
from facilities.models import AdtEvent, Bed, PatientStay
from tests.facilities.beds_helpers import T0, beds_fixture, refresh  # noqa: F401

PORT = 2603


class Listener:
    """The listener in a thread of its own, on its own event loop."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        asyncio.set_event_loop(self.loop)
        self.stop = asyncio.Event()
        started = asyncio.Event()

        async def main():
            task = asyncio.ensure_future(listener.serve("127.0.0.1", PORT, ready=started, stop=self.stop))
            await started.wait()
            self.ready.set()
            await task

        self.loop.run_until_complete(main())

    def __enter__(self):
        self.thread.start()
        assert self.ready.wait(10)
        return self

    def __exit__(self, *exc):
        self.loop.call_soon_threadsafe(self.stop.set)
        self.thread.join(10)


def message(trigger, control, hours, *, encounter="E1", mrn="M1", location="MED-4W^401^A", version="2.5.1"):
    when = (T0.astimezone() + __import__("datetime").timedelta(hours=hours)).strftime("%Y%m%d%H%M%S%z")
    return "\r".join([
        f"MSH|^~\\&|EPIC|HOSP|HOPS|HOSP|{when}||ADT^{trigger}^ADT_A01|{control}|P|{version}",
        f"EVN|{trigger}|{when}",
        f"PID|1||{mrn}^^^HOSP^MR",
        f"PV1|1|I|{location}||||||||||||||||{encounter}",
    ]) + "\r"


def _msa(ack: bytes):
    return hl7.parse(ack.decode().strip("\x0b\x1c\r")).segment("MSA")


def ack_code(ack):
    return str(_msa(ack)[1])


def ack_text(ack):
    return str(_msa(ack)[3])


@pytest.mark.django_db(transaction=True)
def test_every_trigger_over_a_real_socket(hospital, beds):
    with Listener(), MLLPClient("127.0.0.1", PORT) as client:
        send = client.send_message
        assert ack_code(send(message("A04", "m1", 0, location="MED-4W"))) == "AA"
        assert PatientStay.objects.get().status == "pending"
        assert ack_code(send(message("A01", "m2", 1))) == "AA"
        assert ack_code(send(message("A08", "m3", 2))) == "AA"
        assert ack_code(send(message("A02", "m4", 3, location="MED-4W^401^B"))) == "AA"
        assert ack_code(send(message("A12", "m5", 4))) == "AA"
        assert PatientStay.objects.get().bed == beds["a"]
        assert ack_code(send(message("A03", "m6", 5))) == "AA"
        refresh(beds["a"])
        assert beds["a"].status == Bed.Status.DIRTY
        assert ack_code(send(message("A13", "m7", 6))) == "AA"
        assert ack_code(send(message("A11", "m8", 7))) == "AA"
        assert PatientStay.objects.get().status == "cancelled"
    assert AdtEvent.objects.filter(channel="hl7", outcome="applied").count() == 8


@pytest.mark.django_db(transaction=True)
def test_repeats_late_and_broken_messages_are_answered_and_stored(hospital, beds):
    with Listener(), MLLPClient("127.0.0.1", PORT) as client:
        send = client.send_message
        assert ack_code(send(message("A01", "r1", 1))) == "AA"
        assert ack_code(send(message("A01", "r1", 1))) == "AA"  # a re-send after a lost ACK
        assert ack_code(send(message("A02", "r2", 10, location="MED-4W^401^B"))) == "AA"
        late = send(message("A03", "r3", 5))
        assert ack_code(late) == "AE" and "older" in ack_text(late)
        assert ack_code(send(message("A01", "r4", 1, version="2.8"))) == "AR"
        assert ack_code(send(message("A05", "r5", 1))) == "AR"
        assert ack_code(send("this is not HL7")) == "AR"
        assert ack_code(send("MSH|^~\\&|EPIC|HOSP\rPV1|garbage")) == "AR"
        assert ack_code(send(message("A01", "r6", 1, location="NOPE^1^Z", encounter="E9", mrn="M9"))) == "AE"
    assert PatientStay.objects.count() == 1
    assert AdtEvent.objects.count() == 8  # the repeat is the only one not stored twice
    assert AdtEvent.objects.filter(outcome="malformed").count() == 4


@pytest.mark.django_db(transaction=True)
def test_a_restart_loses_nothing(hospital, beds):
    with Listener(), MLLPClient("127.0.0.1", PORT) as client:
        assert ack_code(client.send_message(message("A01", "s1", 1))) == "AA"
    with Listener(), MLLPClient("127.0.0.1", PORT) as client:
        assert ack_code(client.send_message(message("A01", "s1", 1))) == "AA"
        assert ack_code(client.send_message(message("A03", "s2", 2))) == "AA"
    assert PatientStay.objects.get().status == "discharged"
