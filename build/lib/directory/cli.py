"""Command-line tasks: `flask --app wsgi create-admin EMAIL`, `flask --app wsgi seed`."""

import click
from flask import Flask, current_app

from directory.accounts.services import create_admin


def register(app: Flask) -> None:
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
        """Create an admin account, or make an existing account an admin with this password."""
        try:
            user = create_admin(email, password, full_name)
        except ValueError as error:  # marshmallow's ValidationError is a ValueError too
            raise click.BadParameter(str(error)) from error
        click.echo(f"Admin {user.email} is ready (id {user.id}).")

    @app.cli.command("seed")
    def seed_command() -> None:
        """Load the demo directory from seeds/ (idempotent; refused in production)."""
        if current_app.config["ENV_NAME"] == "production":
            raise click.UsageError("Demo data is never loaded in production.")
        from seeds import load_demo_data  # seeds/ is not part of the installed package

        summary = load_demo_data()
        click.echo(f"Demo data loaded: {summary}")
