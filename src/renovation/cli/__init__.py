"""The `renovation` command line: thin doors onto the application service and its views.

Exit codes: 0 done; 1 refused by a rule (or some import lines rejected); 2 unusable input or an
unexpected failure; 3 the store failed (`store.unavailable`: some work may have been saved, run
the same command again). Errors are one line on stderr; `--debug` shows the traceback instead.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from renovation.cli.lazy import Lazy, LazyGroup

_CLI = "renovation.cli."
# In the order `renovation --help` lists them; `help` is what it shows (tests/unit/test_cli_lazy
# checks each against the command's own).
COMMANDS = (
    Lazy("execute", _CLI + "case:execute",
         "Apply one command given as JSON, as the signed-in principal; prints its outcome, exits"
         " 1\nif a rule refuses it. Without an `actor`, you act yourself; naming another official,"
         " you\nenter their act (your roles must let you enter acts for the case's area)."),
    Lazy("demo", _CLI + "demo:demo", "Simulate the Guilin 2022 programme (1,173 households,"
         " 13 counties) through the command path."),
    Lazy("import", _CLI + "importing:import_file",
         "Apply the commands of a JSONL file as the signed-in principal; re-running it applies"
         "\nnothing twice. Each line's `actor` must be in the staff directory (see"
         " docs/identity.md)."),
    Lazy("login", _CLI + "session:login",
         "Sign in (the session is kept for this store until logout or expiry)."),
    Lazy("logout", _CLI + "session:logout",
         "Sign out: the session's token is revoked and forgotten."),
    Lazy("whoami", _CLI + "session:whoami",
         "Who you are signed in as, and the roles you hold today."),
    Lazy("serve", _CLI + "serve:serve",
         "Serve the API (/api, /docs) and the dashboard pages at http://HOST:PORT/."),
    Lazy("version", "renovation.cli:version", "Print the version."),
    Lazy("plan", _CLI + "plan:app", "Plans computed from a policy, before cases exist."),
    Lazy("programme", _CLI + "programme:app", "Programmes (年度计划): open, allocate, show."),
    Lazy("policy", _CLI + "policy:app", "Subsidy policies (one per jurisdiction × year)."),
    Lazy("case", _CLI + "case:app", "Look at a case."),
    Lazy("household", _CLI + "household:app", "A household's personal data (个人信息)."),
    Lazy("house", _CLI + "house:app",
         "House records: patrols, reports, gradings, resolutions (农房监测)."),
    Lazy("ledger", _CLI + "ledger:app", "Housing-safety ledgers (台账) and 动态清零."),
    Lazy("store", _CLI + "store:app", "The event store."),
    Lazy("schema", _CLI + "importing:schema_app", "JSON Schemas for integrators."),
    Lazy("roster", _CLI + "roster:app", "Application rosters (申请名册) as Excel workbooks."),
    Lazy("registry", _CLI + "registry:app",
         "Registry snapshots of other departments (参照数据: 低保, 户籍, 车辆 …)."),
    Lazy("report", _CLI + "report:app",
         "Progress, funds, construction, overdue items, notices."),
    Lazy("cases", _CLI + "report:cases_app", "The case list (masked personal data)."),
    Lazy("projections", _CLI + "projections:app", "Read models projected from the event log."),
    Lazy("audit", _CLI + "audit:app", "Tamper evidence for the event store (审计)."),
    Lazy("findings", _CLI + "findings:app", "Irregularity findings (违规线索) and their review."),
    Lazy("tipoffs", _CLI + "tipoffs:app",
         "Tip-offs and complaints (举报投诉): hand over, investigate, conclude."),
    Lazy("spotcheck", _CLI + "spotcheck:app",
         "The city's spot check (市级抽查): draw, verify, report."),
    Lazy("users", _CLI + "users:app", "The staff directory (工作人员名录): users, roles, tokens."),
    Lazy("divisions", _CLI + "divisions:app", "Names of division codes (行政区划)."),
    Lazy("stream", _CLI + "stream:app", "The event stream for integrators."),
)


class _Commands(LazyGroup):
    lazy = COMMANDS


app = typer.Typer(
    name="renovation",
    help="Event-sourced workflow engine for rural dilapidated-housing renovation (农村危房改造).",
    cls=_Commands,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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
        import json

        from renovation.application.store_failure import is_store_failure, store_unavailable

        if is_store_failure(error):
            refusal = store_unavailable(error, os.environ.get("RENOVATION_DB", "sqlite:///var"))
            typer.echo(json.dumps(refusal.to_dict(), ensure_ascii=False), err=True)
            sys.exit(3)
        typer.echo(f"error: {type(error).__name__}: {error}", err=True)
        sys.exit(2)

