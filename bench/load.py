"""The load driver: HTTP clients in their own processes, never in the server's.

Each client process sends its share of a bounded number of requests one after the other, on
a fresh connection each (gunicorn's sync workers close it after every response), and times
each from connect to the last byte of the body. A request is a path to GET, or a Post.

A request the server leaves unanswered (no response within the timeout, or a worker killed
mid-request by gunicorn's own timeout) is kept in the timings with the time it was given, and
counted as such: one slow request must not stop a run of thousands, and must not vanish from
its tail either. A wrong status still stops the run: that is a bug, not a slow answer.
"""

import http.client
import multiprocessing
import time
from dataclasses import dataclass
from statistics import median, quantiles


@dataclass(frozen=True)
class Post:
    """A JSON POST that must answer 201."""

    path: str
    body: bytes
    headers: dict


TIMEOUT_S = 30.0
# A response that never came: the client gave up, or gunicorn killed the worker mid-request
# (the connection closed, reset or cut mid-body). A refused connection still stops the run.
NO_ANSWER = (
    TimeoutError,
    http.client.RemoteDisconnected,
    http.client.IncompleteRead,
    ConnectionResetError,
    BrokenPipeError,
)


@dataclass
class Timings:
    latencies_ms: list[float]
    seconds: float  # wall time of the whole run, first request to last response
    unanswered: int = 0  # requests with no response, in latencies_ms with the time they had

    @property
    def requests_column(self) -> str:
        """How many were sent, and how many of them went unanswered, for a report's table."""
        sent = len(self.latencies_ms)
        return f"{sent} ({self.unanswered} unanswered)" if self.unanswered else str(sent)

    @property
    def median(self) -> float:
        return median(self.latencies_ms)

    def percentile(self, p: int) -> float:
        return quantiles(self.latencies_ms, n=100, method="inclusive")[p - 1]

    @property
    def throughput(self) -> float:
        """Requests answered per second."""
        return (len(self.latencies_ms) - self.unanswered) / self.seconds


def _client(host: str, port: int, paths: list, timeout: float, start, results) -> None:
    try:
        start.wait()  # every client begins together
        latencies, unanswered, began = [], 0, time.perf_counter()
        for path in paths:
            sent = time.perf_counter()
            unanswered += not _send(host, port, path, timeout)
            latencies.append((time.perf_counter() - sent) * 1000)
        results.put((latencies, unanswered, began, time.perf_counter()))
    except Exception as error:  # reported by run(), in the parent
        results.put(error)


def _send(host: str, port: int, request: "str | Post", timeout: float) -> bool:
    """Whether the server answered `request` (as expected; any other status raises)."""
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    if isinstance(request, Post):
        method, path, expected = "POST", request.path, 201
        arguments = {"body": request.body, "headers": request.headers}
    else:
        method, path, expected, arguments = "GET", request, 200, {}
    try:
        connection.request(method, path, **arguments)
        response = connection.getresponse()
        body = response.read()
    except NO_ANSWER:
        return False
    finally:
        connection.close()
    if response.status != expected:
        raise RuntimeError(f"{method} {path} answered {response.status}: {body[:200]!r}")
    return True


def run(
    host: str,
    port: int,
    paths: list,
    requests: int,
    concurrency: int,
    timeout: float = TIMEOUT_S,
) -> Timings:
    """Send `requests` requests, cycling through `paths`, from `concurrency` client processes;
    each waits at most `timeout` seconds for its answer."""
    plan = [paths[n % len(paths)] for n in range(requests)]
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(concurrency), context.Queue()
    clients = [
        context.Process(
            target=_client,
            args=(host, port, plan[n::concurrency], timeout, start, results),
        )
        for n in range(concurrency)
    ]
    for client in clients:
        client.start()
    # Long enough for every request of a client to go unanswered: past it, a client died.
    longest = timeout * len(plan[::concurrency]) + 60
    outcomes = [results.get(timeout=longest) for _ in clients]
    for client in clients:
        client.join()
    for outcome in outcomes:
        if isinstance(outcome, Exception):
            raise outcome
    return Timings(
        latencies_ms=[ms for latencies, *_ in outcomes for ms in latencies],
        seconds=max(end for *_, end in outcomes) - min(began for *_, began, _ in outcomes),
        unanswered=sum(unanswered for _, unanswered, *_ in outcomes),
    )
