"""Entry point for gunicorn (`wsgi:app`) and the flask CLI (`flask --app wsgi ...`)."""

from dotenv import load_dotenv

load_dotenv()

from directory import create_app  # noqa: E402  (after .env is loaded)

app = create_app()
