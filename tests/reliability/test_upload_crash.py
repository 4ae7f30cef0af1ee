"""A worker killed (SIGKILL) in the middle of an upload leaves no file that is served, and the
housekeeping job removes what it left an hour later. A real gunicorn process is killed while
its upload waits on a row lock that the test holds, after writing the files and before its
commit: the worst moment."""

import http.client
import os
import signal
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from directory.core.db import utcnow
from directory.extensions import db
from directory.gallery.models import GalleryItem
from directory.housekeeping import run_housekeeping
from tests.helpers import gallery_form
from tests.reliability.services import free_port, port_open, wait_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def server(app):
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("holding a row lock across processes needs PostgreSQL")
    port = free_port()
    environment = os.environ | {
        "APP_ENV": "development",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "MEDIA_ROOT": app.config["MEDIA_ROOT"],
        "JWT_SECRET_KEY": app.config["JWT_SECRET_KEY"],
        "RATELIMIT_UPLOAD": "1000 per minute",
    }
    environment.pop("REDIS_URL", None)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "--workers", "1", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: port_open(port))
        yield port, process.pid
    finally:
        process.terminate()
        process.wait(timeout=20)


def workers_of(master: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            children.append(int(stat.parent.name))
    return children


def pending_files(app) -> list[Path]:
    pending = Path(app.config["MEDIA_ROOT"]) / "pending"
    return [path for path in pending.rglob("*") if path.is_file()] if pending.exists() else []


def upload(port: int, owner) -> None:
    fields = {
        name: FileStorage(*value[:2], content_type=value[2]) if isinstance(value, tuple) else value
        for name, value in gallery_form().items()
    }
    boundary, body = encode_multipart(fields)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = owner.headers | {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    try:
        connection.request(
            "POST", f"/api/v1/practitioners/{owner.practitioner_id}/gallery", body, headers
        )
        connection.getresponse().read()
    except (ConnectionError, http.client.HTTPException):
        pass  # the worker was killed: no answer


def test_a_worker_killed_mid_upload_leaves_nothing_served(app, client, owner, server):
    port, master = server
    with app.app_context():
        locker = db.engine.connect()
    transaction = locker.begin()
    # The upload's INSERT checks its foreign key with a KEY SHARE lock on this row: it waits.
    locker.execute(
        sa.text("SELECT 1 FROM practitioners WHERE id = :id FOR UPDATE"),
        {"id": owner.practitioner_id},
    )
    request = threading.Thread(target=upload, args=(port, owner))
    request.start()
    try:
        wait_for(lambda: len(pending_files(app)) == 4, timeout=20)
        for worker in workers_of(master):
            os.kill(worker, signal.SIGKILL)
        request.join(timeout=30)
    finally:
        transaction.rollback()
        locker.close()

    left = pending_files(app)
    assert len(left) == 4
    with app.app_context():
        assert db.session.query(GalleryItem).count() == 0
    for path in left:  # pending/<public or private>/<name>: under /media as if published
        staged = path.relative_to(Path(app.config["MEDIA_ROOT"]) / "pending")
        name = Path(*staged.parts[1:]).as_posix()
        assert client.get(f"/media/{name}").status_code == 404

    with app.app_context():
        too_soon = run_housekeeping(now=utcnow())
        an_hour_later = run_housekeeping(now=utcnow() + timedelta(hours=1, minutes=1))

    assert too_soon["pending_media_removed"] == 0
    assert an_hour_later["pending_media_removed"] == 4
    assert pending_files(app) == []
