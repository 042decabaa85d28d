"""A real SMTP server on localhost (aiosmtpd) that keeps what it receives, for the tests."""

import email
import re
import socket
import time
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Collector:
    def __init__(self):
        self.messages: list[EmailMessage] = []
        # When each message arrived (time.time()), in the same order: bench/rush.py times delivery.
        self.received_at: list[float] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.received_at.append(time.time())
        self.messages.append(email.message_from_bytes(envelope.content, policy=default))
        return "250 Message accepted"


class MailSink:
    def __init__(self):
        self.port = free_port()
        self._collector = _Collector()
        self._controller: Controller | None = None
        # Set by the tests' fixtures: waits until the tasks that deliver messages have run, so that
        # what a test reads is what its actions sent.
        self.settle = None

    def _settled(self) -> None:
        if self.settle is not None:
            self.settle()

    def start(self) -> None:
        # A stopped controller cannot start again (its event loop is closed): a new one each time,
        # on the same port, so that a test may stop the server and start it again (tests/notifications).
        self._controller = Controller(self._collector, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def messages(self) -> list[EmailMessage]:
        self._settled()
        return self._collector.messages

    @property
    def received_at(self) -> list[float]:
        self._settled()
        return self._collector.received_at

    def clear(self) -> None:
        self._settled()
        self._collector.messages.clear()
        self._collector.received_at.clear()

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in m["To"]]

    def last_to(self, address: str) -> EmailMessage:
        received = self.to(address)
        assert received, f"no message to {address}; got {[m['To'] for m in self.messages]}"
        return received[-1]

    @staticmethod
    def text(message: EmailMessage) -> str:
        return message.get_body(("plain",)).get_content()

    def link_in(self, message: EmailMessage) -> str:
        """The first portal link of the message, as a path the test client can open."""
        match = re.search(r"https?://[^/\s]+(/\S+)", self.text(message))
        assert match, self.text(message)
        return match.group(1)
