"""The `renovation` command line: thin doors onto the application service and its views.

Exit codes: 0 done; 1 refused by a rule (or some import lines rejected); 2 unusable input or an
unexpected failure; 3 the store failed (`store.unavailable`: some work may have been saved, run
the same command again). Errors are one line on stderr; `--debug` shows the traceback instead.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Annotated

import typer

from renovation.cli import (
    audit,
    case,
    demo,
    divisions,
    findings,
    house,
    household,
    importing,
    ledger,
    plan,
    policy,
    programme,
    projections,
    registry,
    report,
    roster,
    serve,
    session,
    spotcheck,
    store,
    stream,
    tipoffs,
    users,
)

app = typer.Typer(
    name="renovation",
    help="Event-sourced workflow engine for rural dilapidated-housing renovation (农村危房改造).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(plan.app, name="plan")
app.add_typer(programme.app, name="programme")
app.add_typer(policy.app, name="policy")
app.add_typer(case.app, name="case")
app.add_typer(household.app, name="household")
app.add_typer(house.app, name="house")
app.add_typer(ledger.app, name="ledger")
app.add_typer(store.app, name="store")
app.command("execute")(case.execute)
app.command("demo")(demo.demo)
app.command("import")(importing.import_file)
app.add_typer(importing.schema_app, name="schema")
app.add_typer(roster.app, name="roster")
app.add_typer(registry.app, name="registry")
app.add_typer(report.app, name="report")
app.add_typer(report.cases_app, name="cases")
app.add_typer(projections.app, name="projections")
app.add_typer(audit.app, name="audit")
app.add_typer(findings.app, name="findings")
app.add_typer(tipoffs.app, name="tipoffs")
app.add_typer(spotcheck.app, name="spotcheck")
app.add_typer(users.app, name="users")
app.add_typer(divisions.app, name="divisions")
app.command("login")(session.login)
app.command("logout")(session.logout)
app.command("whoami")(session.whoami)
app.command("serve")(serve.serve)
app.add_typer(stream.app, name="stream")


@app.command("version")
def version() -> None:
    """Print the version."""
    from renovation import __version__

    typer.echo(__version__)


@app.callback()
def options(
    db: Annotated[
        str | None, typer.Option("--db", help="Event store URL (else RENOVATION_DB).")
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    """Global options, applied before any command."""
    if db:
        os.environ["RENOVATION_DB"] = db
    if debug:
        os.environ["RENOVATION_DEBUG"] = "1"


def main() -> None:
    try:
        app()
    except Exception as error:
        if os.environ.get("RENOVATION_DEBUG") == "1":
            raise
        from renovation.application.store_failure import is_store_failure, store_unavailable

        if is_store_failure(error):
            refusal = store_unavailable(error, os.environ.get("RENOVATION_DB", "sqlite:///var"))
            typer.echo(json.dumps(refusal.to_dict(), ensure_ascii=False), err=True)
            sys.exit(3)
        typer.echo(f"error: {type(error).__name__}: {error}", err=True)
        sys.exit(2)
