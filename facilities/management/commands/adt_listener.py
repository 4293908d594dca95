"""Listen for HL7 v2 ADT messages over MLLP and answer each with an ACK."""

import asyncio
import logging

from django.core.management.base import BaseCommand

from facilities import hl7


class Command(BaseCommand):
    help = "Receive HL7 v2 ADT messages (A01, A02, A03, A04, A08, A11, A12, A13) over MLLP."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="0.0.0.0", help="Address to listen on (default all).")
        parser.add_argument("--port", type=int, default=2575, help="TCP port (default 2575, the MLLP port).")

    def handle(self, *args, host, port, **options):
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
        self.stdout.write(f"ADT listener on {host}:{port}; Ctrl-C to stop.")
        try:
            asyncio.run(hl7.serve(host, port))
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
