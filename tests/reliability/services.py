"""Local services some reliability tests drive: missing on a laptop is a skip, in CI a failure."""

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def require(available: bool, what: str) -> None:
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI")
    pytest.skip(f"{what} is not available on this machine")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_for(predicate, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("service did not come up in time")
        time.sleep(0.1)


@contextmanager
def gunicorn(environment: dict, workers: int) -> Iterator[int]:
    """The app under real gunicorn processes (wsgi:app, gunicorn.conf.py's settings) on a free
    port; `environment` is added to this process's."""
    port = free_port()
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            *("--workers", str(workers), "--bind", f"127.0.0.1:{port}", "wsgi:app"),
        ],
        cwd=ROOT,
        env=os.environ | environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: port_open(port))
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


def call(port: int, method: str, path: str, body=None, token=None, timeout: float = 10):
    """One request on a new connection, so that requests spread over the workers."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Content-Type": "application/json", "Connection": "close"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        connection.request(method, path, json.dumps(body) if body is not None else None, headers)
        response = connection.getresponse()
        payload = response.read()
    finally:
        connection.close()  # also on a timeout: an unclosed socket fails the suite at exit
    return response.status, (json.loads(payload) if payload else None), dict(response.getheaders())


def postgres_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(candidates[-1]) if candidates else None


class PrivatePostgres:
    """A throwaway PostgreSQL cluster on a free port, that a test may stop and start.

    PostgreSQL refuses to run as root, so as root it runs as the postgres user.
    """

    def __init__(self):
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="directory-pg-"))
        self.data = self.directory / "data"
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.paused: list[int] = []
        if self.as_user:
            shutil.chown(self.directory, "postgres")
        self._create()

    def _create(self) -> None:
        self._run(postgres_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        subprocess.run([*self.as_user, *command], check=True, capture_output=True)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
        log = str(self.directory / "server.log")
        self._run(
            postgres_bin("pg_ctl"), "-D", str(self.data), "-o", options, "-l", log, "-w", "start"
        )

    def stop(self) -> None:
        self._run(postgres_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def kill(self) -> None:
        """Gone at once, as a crashed machine: no shutdown checkpoint, connections cut."""
        self._run(postgres_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def pause(self) -> None:
        """Hang it: every process of the cluster stopped (SIGSTOP). The kernel still accepts
        connections and acknowledges what is sent; nothing answers."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        os.kill(postmaster, signal.SIGSTOP)  # first, so that it forks nothing new meanwhile
        self.paused = [postmaster]
        for pid in _descendants(postmaster):
            os.kill(pid, signal.SIGSTOP)
            self.paused.append(pid)

    def resume(self) -> None:
        for pid in self.paused:
            os.kill(pid, signal.SIGCONT)
        self.paused = []

    def destroy(self) -> None:
        if self.paused:
            self.resume()
        if port_open(self.port):
            self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


class PrivateStandby(PrivatePostgres):
    """A streaming standby of a running PrivatePostgres: its base backup, replaying the
    primary's WAL as it comes (hot standby: it answers reads)."""

    def __init__(self, primary: PrivatePostgres):
        self.primary = primary
        super().__init__()

    def _create(self) -> None:
        self._run(
            postgres_bin("pg_basebackup"),
            *("-h", "127.0.0.1", "-p", str(self.primary.port), "-U", "postgres"),
            *("-D", str(self.data), "--write-recovery-conf", "--wal-method=stream"),
        )


def _descendants(pid: int) -> list[int]:
    children = [
        int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    ]
    return [*children, *(below for child in children for below in _descendants(child))]


class PrivateRedis:
    """A throwaway Redis on a free port, that a test may stop and start again on that port."""

    def __init__(self):
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="directory-redis-"))
        self.process: subprocess.Popen | None = None
        self.paused = False

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                *("--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory)),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: port_open(self.port))

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.process = None

    def pause(self) -> None:
        """Hang it: the kernel still accepts connections, nothing answers."""
        self.process.send_signal(signal.SIGSTOP)
        self.paused = True

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)
        self.paused = False

    def destroy(self) -> None:
        if self.paused:
            self.resume()
        if self.process is not None:
            self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)
