"""gunicorn settings, shared by `make run`, the Docker image and the benchmarks."""

import multiprocessing
import os

import gunicorn.http.wsgi

# Sync workers: each request holds one worker, and the database work is short. Two per core
# plus one keeps the CPUs busy while some workers wait on PostgreSQL.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Recycle a worker now and then, so that a slow leak can never grow without bound.
max_requests = 10_000
max_requests_jitter = 1_000
timeout = 30
graceful_timeout = 20

# No server banner worth reading. gunicorn 27 has no setting for the Server header: each
# response (HTTP/1 and HTTP/2) sends the global SERVER of gunicorn.http.wsgi, a copy that module
# takes of gunicorn.SERVER when imported, so patching gunicorn.SERVER would depend on import
# order. Its version is already left out (SERVER_SOFTWARE only reaches the WSGI environ); a
# neutral name also stops telling a scanner which server's bugs to try. (Over HTTP/1 a Server
# header set by the app is sent beside gunicorn's, not instead.) Workers are forked from the
# process that reads this file, so they inherit the patch.
gunicorn.http.wsgi.SERVER = "api"
