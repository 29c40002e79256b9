"""A real SMTP server for the tests (aiosmtpd on 127.0.0.1): it refuses the first `refusals` messages (451, try
later), then accepts and keeps them, a mailbox the tests read. `smtp(refusals)` starts one and points the
portal's mail settings to it."""

from __future__ import annotations

import email
import email.policy
import re
import socket

import pytest
from aiosmtpd.controller import Controller


class Mailbox:
    def __init__(self, refusals: int = 0):
        self.refusals = refusals
        self.attempts = 0
        self.delivered = []

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        if self.attempts <= self.refusals:
            return "451 4.3.0 Serveur occupe, reessayez plus tard"
        self.delivered.append(envelope)
        return "250 Message accepted for delivery"

    def messages_to(self, address: str) -> list:
        out = []
        for env in self.delivered:
            if address.lower() in [r.lower() for r in env.rcpt_tos]:
                out.append(email.message_from_bytes(env.content, policy=email.policy.default))
        return out

    def last_link_to(self, address: str, pattern: str = r"https?://\S+/invitation/\S+/") -> str:
        """The last absolute link matching `pattern` in the e-mails to `address`."""
        bodies = [m.get_body(preferencelist=("plain",)).get_content() for m in self.messages_to(address)]
        links = [link for body in bodies for link in re.findall(pattern, body)]
        assert links, f"Aucun lien dans les e-mails à {address} : {bodies}"
        return links[-1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    controllers = []

    def start(refusals: int = 0) -> Mailbox:
        handler = Mailbox(refusals)
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5
        return handler

    yield start
    for c in controllers:
        c.stop()
