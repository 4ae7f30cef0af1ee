"""The load driver: HTTP clients in their own processes, never in the server's.

Each client process sends its share of a bounded number of requests one after the other, on
a fresh connection each (gunicorn's sync workers close it after every response), and times
each from connect to the last byte of the body. A request is a path to GET, or a Post.
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


@dataclass
class Timings:
    latencies_ms: list[float]
    seconds: float  # wall time of the whole run, first request to last response

    @property
    def median(self) -> float:
        return median(self.latencies_ms)

    def percentile(self, p: int) -> float:
        return quantiles(self.latencies_ms, n=100, method="inclusive")[p - 1]

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.seconds


def _client(host: str, port: int, paths: list, start, results) -> None:
    try:
        start.wait()  # every client begins together
        latencies, began = [], time.perf_counter()
        for path in paths:
            sent = time.perf_counter()
            _send(host, port, path)
            latencies.append((time.perf_counter() - sent) * 1000)
        results.put((latencies, began, time.perf_counter()))
    except Exception as error:  # reported by run(), in the parent
        results.put(error)


def _send(host: str, port: int, request: "str | Post") -> None:
    connection = http.client.HTTPConnection(host, port, timeout=30)
    if isinstance(request, Post):
        method, path, expected = "POST", request.path, 201
        arguments = {"body": request.body, "headers": request.headers}
    else:
        method, path, expected, arguments = "GET", request, 200, {}
    try:
        connection.request(method, path, **arguments)
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    if response.status != expected:
        raise RuntimeError(f"{method} {path} answered {response.status}: {body[:200]!r}")


def run(host: str, port: int, paths: list, requests: int, concurrency: int) -> Timings:
    """Send `requests` requests, cycling through `paths`, from `concurrency` client processes."""
    plan = [paths[n % len(paths)] for n in range(requests)]
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(concurrency), context.Queue()
    clients = [
        context.Process(target=_client, args=(host, port, plan[n::concurrency], start, results))
        for n in range(concurrency)
    ]
    for client in clients:
        client.start()
    outcomes = [results.get(timeout=600) for _ in clients]
    for client in clients:
        client.join()
    for outcome in outcomes:
        if isinstance(outcome, Exception):
            raise outcome
    return Timings(
        latencies_ms=[ms for latencies, _, _ in outcomes for ms in latencies],
        seconds=max(end for *_, end in outcomes) - min(began for _, began, _ in outcomes),
    )
