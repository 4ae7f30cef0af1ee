"""Command-line tasks: `flask --app wsgi create-admin EMAIL`, `flask --app wsgi seed`."""

import click
from flask import Flask, current_app

from directory.accounts.services import create_admin
from directory.core.errors import DomainError
from directory.mail.worker import register_cli as register_mail_cli


def register(app: Flask) -> None:
    register_mail_cli(app)  # worker

    @app.cli.command("create-admin")
    @click.argument("email")
    @click.option(
        "--password",
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        help="The password (prompted for when not given).",
    )
    @click.option("--name", "full_name", default="Administrator", show_default=True)
    def create_admin_command(email: str, password: str, full_name: str) -> None:
        """Create an admin account, or give an existing admin a new password (which ends all
        of their sessions). An address of a patient or practitioner is refused."""
        try:
            user = create_admin(email, password, full_name)
        except DomainError as error:
            messages = [m for ms in (error.errors or {}).values() for m in ms]
            raise click.ClickException(" ".join(messages) or error.detail) from error
        click.echo(f"Admin {user.email} is ready (id {user.id}).")

    @app.cli.command("housekeeping")
    def housekeeping_command() -> None:
        """Remove what no request will: files of uploads whose process died, expired
        idempotency keys and token revocations."""
        from directory.housekeeping import run_housekeeping

        click.echo(f"Housekeeping done: {run_housekeeping()}")

    @app.cli.command("seed")
    def seed_command() -> None:
        """Load the demo directory from seeds/ (idempotent; refused in production)."""
        if current_app.config["ENV_NAME"] == "production":
            raise click.UsageError("Demo data is never loaded in production.")
        from seeds import load_demo_data  # seeds/ is not part of the installed package

        summary = load_demo_data()
        click.echo(f"Demo data loaded: {summary}")
