"""Entry point for gunicorn (`wsgi:app`) and the flask CLI (`flask --app wsgi ...`)."""

import sys

from dotenv import load_dotenv

load_dotenv()

from directory import create_app  # noqa: E402  (after .env is loaded)
from directory.core.database_timeouts import install_wait_callback  # noqa: E402

app = create_app()
# A gunicorn process serves requests: its PostgreSQL waits get deadlines. Process-wide, so here
# and not in create_app (see core.database_timeouts); and not under the flask CLI, which
# imports this module too and whose migrations use COPY, refused under a wait callback.
if "gunicorn" in sys.modules:
    install_wait_callback()
