"""The API under gunicorn, in its own processes, on a free port of 127.0.0.1."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(database_url: str, workers: int | None, **settings: str):
    """Yield (host, port, worker count) of a production-configured API serving `database_url`,
    with gunicorn.conf.py's settings (and its number of workers unless `workers` is given);
    `settings` add to (or replace) its environment."""
    port = _free_port()
    environment = {
        **os.environ,
        "APP_ENV": "production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(32),
        "JWT_SECRET_KEY": secrets.token_urlsafe(32),
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        # Every request comes from 127.0.0.1: the limit is still checked, never reached.
        "RATELIMIT_PUBLIC": "10000000 per minute",
        # Rate limits and facet counts in Redis, as production keeps them (docker-compose.yml's
        # REDIS_URL). Runs before 2026-11-26 kept the limits in each worker's memory, whose
        # storage starts an expiry thread per request when requests come over 10 ms apart.
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
        # Facets counted afresh take seconds at 1,000,000 practitioners (bench/README.md): over
        # production's 5 s limit for some, which would end the run on a 503.
        "DATABASE_STATEMENT_TIMEOUT": "60",
        **settings,
    }
    if workers:
        environment["WEB_CONCURRENCY"] = str(workers)
    command = [str(GUNICORN), "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen([*command, "wsgi:app"], cwd=ROOT, env=environment)
    try:
        _wait_ready(port, server)
        yield "127.0.0.1", port, _children(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def _children(pid: int) -> int:
    return len(Path(f"/proc/{pid}/task/{pid}/children").read_text().split())


def _wait_ready(port: int, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited while starting")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not become ready")
