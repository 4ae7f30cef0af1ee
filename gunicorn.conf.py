"""gunicorn settings, shared by `make run`, the Docker image and the benchmarks."""

import multiprocessing
import os

# Sync workers: each request holds one worker, and the database work is short. Two per core
# plus one keeps the CPUs busy while some workers wait on PostgreSQL.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Recycle a worker now and then, so that a slow leak can never grow without bound.
max_requests = 10_000
max_requests_jitter = 1_000
timeout = 30
graceful_timeout = 20
