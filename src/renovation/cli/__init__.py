"""The `renovation` command line: thin doors onto the application service and its views."""

from __future__ import annotations

import typer

from renovation.cli import case, demo, policy, store

app = typer.Typer(
    name="renovation",
    help="Event-sourced workflow engine for rural dilapidated-housing renovation (农村危房改造).",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(policy.app, name="policy")
app.add_typer(case.app, name="case")
app.add_typer(store.app, name="store")
app.command("execute")(case.execute)
app.command("demo")(demo.demo)


@app.command("version")
def version() -> None:
    """Print the version."""
    from renovation import __version__

    typer.echo(__version__)


def main() -> None:
    app()
