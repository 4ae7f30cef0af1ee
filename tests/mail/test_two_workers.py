"""Two workers at once, as two machines would run them: every mail is delivered exactly once.
Real `flask --app wsgi worker` processes on the PostgreSQL test database, where they claim
with FOR UPDATE SKIP LOCKED (SQLite has one writer at a time: nothing to race there)."""

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from directory.extensions import db
from directory.mail.outbox import MailEvent, enqueue
from tests.mail.conftest import unique_address
from tests.reliability.services import wait_for

ROOT = Path(__file__).resolve().parents[2]
MAILS = 300


@pytest.fixture
def slow_smtp_server(smtp_server):
    """Each mail takes a few milliseconds, so that the two workers' batches overlap."""
    import asyncio

    record = smtp_server.handler.handle_DATA

    async def slowly(server, session, envelope):
        await asyncio.sleep(0.003)
        return await record(server, session, envelope)

    smtp_server.handler.handle_DATA = slowly
    return smtp_server


def start_worker(app, smtp_url: str) -> subprocess.Popen:
    environment = os.environ | {
        "APP_ENV": "development",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SMTP_URL": smtp_url,
        "MEDIA_ROOT": app.config["MEDIA_ROOT"],
    }
    flask = Path(sys.executable).with_name("flask")
    return subprocess.Popen(
        [str(flask), "--app", "wsgi", "worker", "--batch-size", "10", "--poll-seconds", "0.1"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_workers_deliver_each_mail_exactly_once(app, slow_smtp_server):
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("concurrent workers run in the PostgreSQL pass of the suite")
    with app.app_context():
        for _ in range(MAILS):
            enqueue(MailEvent.PASSWORD_CHANGED, unique_address(), {"name": "Zoé"})
        db.session.commit()

    workers = [start_worker(app, slow_smtp_server.url) for _ in range(2)]
    try:
        wait_for(lambda: len(slow_smtp_server.handler.messages) >= MAILS, timeout=120)
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        outputs = [worker.communicate(timeout=60) for worker in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()

    counts = slow_smtp_server.counts_by_message_id()
    assert len(counts) == MAILS and set(counts.values()) == {1}
    sent_by_worker = []
    for worker, (stdout, stderr) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, stderr
        sent_by_worker.append(int(re.search(r"Worker stopped: (\d+) sent", stdout).group(1)))
    assert sum(sent_by_worker) == MAILS
    assert min(sent_by_worker) > 0, f"one worker did everything: {sent_by_worker}"
