"""The load driver against a real HTTP server on 127.0.0.1: a request left unanswered is timed
and counted, not fatal; a wrong status stops the run."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import load
from bench.report import TABLES, ScaleResult, markdown
from bench.shapes import Shape


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the name http.server calls)
        if self.path == "/slow":
            time.sleep(1.0)  # past the test's timeout: the client gives up first
        status = 404 if self.path == "/missing" else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield "127.0.0.1", httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def test_an_unanswered_request_is_counted_with_the_time_it_was_given(server):
    timings = load.run(*server, ["/fast", "/fast", "/slow"], 6, concurrency=2, timeout=0.3)

    assert len(timings.latencies_ms) == 6
    assert timings.unanswered == 2
    assert sorted(timings.latencies_ms)[-2] >= 300  # both slow ones waited their whole timeout
    assert timings.requests_column == "6 (2 unanswered)"


def test_a_run_where_everything_answered_says_only_how_many(server):
    timings = load.run(*server, ["/fast"], 4, concurrency=2)

    assert (timings.unanswered, timings.requests_column) == (0, "4")


def test_a_wrong_status_stops_the_run(server):
    with pytest.raises(RuntimeError, match="answered 404"):
        load.run(*server, ["/fast", "/missing"], 4, concurrency=1)


def test_the_report_shows_the_unanswered_beside_the_count():
    shapes = [Shape("rating", "no filter", ["/a"]), Shape("floor", "healthz", ["/h"], kind="floor")]
    result = ScaleResult(100_000, dict.fromkeys(TABLES, 1), 1.0, "PostgreSQL 15", shapes=shapes)
    for concurrency in (1, 8):
        result.http["rating", concurrency] = load.Timings([5.0] * 9 + [30_000.0], 1.0, 1)
        result.http["floor", concurrency] = load.Timings([1.0] * 10, 1.0)
    result.sql, result.plans = {"rating": 1.0}, {"rating": ["Index Scan"]}

    assert "| rating | no filter | 8 | 10 (1 unanswered) | 5.0 |" in markdown([result])
