"""Mail servers we cannot reach, for the outbox tests: the only thing these tests fake."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class RefusingBackend(BaseEmailBackend):
    """The server refuses the recipient: a permanent error, not retried."""

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"No such user")})


class DownBackend(BaseEmailBackend):
    """The server is unreachable every time: retried, then recorded as failed."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class FlakyBackend(LocmemBackend):
    """Unreachable on the first attempt, fine afterwards."""

    failures_left = 1

    def send_messages(self, messages):
        if FlakyBackend.failures_left:
            FlakyBackend.failures_left -= 1
            raise ConnectionError("connection reset")
        return super().send_messages(messages)
