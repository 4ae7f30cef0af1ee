"""A real SMTP server (aiosmtpd) on a free local port, which a test may stop, restart, or make
answer 4xx/5xx; and the worker run as `flask --app wsgi worker --once`, in process."""

import email
import uuid
from collections import Counter
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from directory.accounts.models import Role, User
from directory.extensions import db
from tests.reliability.services import free_port


class RecordingHandler:
    """Accepts every mail and keeps it, unless told to refuse with `answer` (e.g. '550 No')."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.sessions: list[int] = []  # one entry per mail: the SMTP session it came in
        self.answer: str | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.answer:
            return self.answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        self.sessions.append(id(session))
        return "250 Message accepted for delivery"


class SMTPServer:
    """An aiosmtpd server that can go down and come back on the same port."""

    def __init__(self):
        self.port = free_port()
        self.handler = RecordingHandler()
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        # A stopped Controller cannot start again (its event loop is closed): a new one.
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def received(self, to: str | None = None) -> list[EmailMessage]:
        return [m for m in self.handler.messages if to is None or m["To"] == to]

    def counts_by_message_id(self) -> Counter:
        return Counter(m["Message-ID"] for m in self.handler.messages)


@pytest.fixture(autouse=True)
def mail_dir(app, tmp_path, monkeypatch):
    """The file backend writes into this test's folder, never into instance/."""
    directory = tmp_path / "mail"
    monkeypatch.setitem(app.config, "MAIL_DIR", str(directory))
    return directory


@pytest.fixture
def smtp_server(app, monkeypatch):
    server = SMTPServer()
    server.start()
    monkeypatch.setitem(app.config, "SMTP_URL", server.url)
    yield server
    server.stop()


@pytest.fixture
def run_worker_once(runner):
    """`flask --app wsgi worker --once`, in process: returns its output."""

    def run() -> str:
        result = runner.invoke(args=["worker", "--once"])
        assert result.exit_code == 0, result.output + repr(result.exception)
        return result.output

    return run


@pytest.fixture
def make_user(app):
    """A user row, made directly (registering over HTTP may queue mails of its own)."""

    def make(full_name: str = "Zoé Martin", role: Role = Role.PATIENT) -> User:
        with app.app_context():
            user = User(
                email=f"user-{uuid.uuid4().hex[:10]}@example.com",
                password_hash="not-a-hash",
                full_name=full_name,
                role=role,
            )
            db.session.add(user)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return make


def unique_address() -> str:
    return f"someone-{uuid.uuid4().hex[:10]}@example.org"


def parsed(raw: str) -> EmailMessage:
    """A stored or received message, as a mail client reads it."""
    return email.message_from_string(raw, policy=policy.default)


def unsubscribe_url_of(raw: str) -> str | None:
    header = parsed(raw)["List-Unsubscribe"]
    return header.strip("<>") if header else None
