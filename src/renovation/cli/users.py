"""`renovation users` — the staff directory, managed by the local operator.

The person at the server's shell holds the store's secrets; like `createsuperuser` elsewhere,
they manage users here, and each change is recorded as theirs (`local:<os user>`).
Administrators manage users of their jurisdiction over the API. Passwords and ID numbers are
read from a hidden prompt or standard input, never from arguments (which other users of the
machine can see).
"""

from __future__ import annotations

import csv
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from renovation.application.directory import IssuedToken, NewMember, Principal
from renovation.cli.common import emit, refusals, runtime
from renovation.cli.projections import Json, NoCatchUp, read_models
from renovation.cli.session import PasswordStdin, read_password
from renovation.kernel.errors import InvalidInputError
from renovation.kernel.jurisdiction import check_code
from renovation.kernel.vocabulary import Role
from renovation.projections.queries.staff import list_staff, show_staff

app = typer.Typer(help="The staff directory (工作人员名录): users, roles, tokens.",
                  no_args_is_help=True)

StaffIdArg = Annotated[str, typer.Argument(metavar="STAFF_ID", help="The staff id.")]
RoleOpt = Annotated[str, typer.Option("--role", help="One of: " + ", ".join(Role))]
CodeOpt = Annotated[str, typer.Option("--jurisdiction", help="12-digit division code.")]
Day = Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"])]
ReasonOpt = Annotated[str, typer.Option("--reason", help="Why (recorded).")]
CSV_COLUMNS = ("staff_id", "name", "role", "jurisdiction", "valid_from", "valid_until",
               "id_number")


@app.command("add")
def add(
    staff_id: StaffIdArg,
    name: Annotated[str, typer.Option("--name", help="Full name (sealed; shown masked).")],
    role: RoleOpt, jurisdiction: CodeOpt,
    valid_from: Annotated[datetime | None, typer.Option(
        "--valid-from", formats=["%Y-%m-%d"], help="First day the role is held (default today).")
    ] = None,
    valid_until: Annotated[datetime | None, typer.Option(
        "--valid-until", formats=["%Y-%m-%d"], help="Last day the role is held (default: open).")
    ] = None,
    password_stdin: PasswordStdin = False,
    no_password: Annotated[bool, typer.Option(
        "--no-password", help="No password: the account signs in with tokens only.")] = False,
    id_number_stdin: Annotated[bool, typer.Option(
        "--id-number-stdin", help="Read the member's ID number from standard input (after the"
        " password line when both are read), for conflict-of-interest checks.")] = False,
    token: Annotated[bool, typer.Option(
        "--token", help="Issue an API token, printed alone on the last line.")] = False,
) -> None:
    """Register a member of staff with their first role (an integrator always gets a token)."""
    with refusals():
        chosen, code = _role(role), _code(jurisdiction)
    wants_password = not no_password and chosen is not Role.INTEGRATOR
    password = read_password(password_stdin, confirm=True) if wants_password else None
    id_number = sys.stdin.readline().strip() if id_number_stdin else None
    operator = Principal.local()
    with runtime(quiet=True, create=True) as rt:
        member = rt.staff.register(operator, NewMember(
            staff_id, name, chosen, code, _day(valid_from), _day(valid_until), id_number))
        if password is not None:
            rt.staff.set_password(operator, member.staff_id, password)
        issued = (rt.staff.issue_token(operator, member.staff_id, label="users add")
                  if token or chosen is Role.INTEGRATOR else None)
    grant = member.grants[1]
    typer.echo(f"registered {member.staff_id} ({member.name.masked}): {grant.role.value} for"
               f" {grant.jurisdiction} from {grant.valid_from}"
               + (f" to {grant.valid_until}" if grant.valid_until else ""))
    _print_token(issued)


@app.command("grant")
def grant(staff_id: StaffIdArg, role: RoleOpt, jurisdiction: CodeOpt,
          valid_from: Annotated[datetime | None, typer.Option(
              "--valid-from", formats=["%Y-%m-%d"])] = None,
          valid_until: Annotated[datetime | None, typer.Option(
              "--valid-until", formats=["%Y-%m-%d"])] = None) -> None:
    """Grant a further role (e.g. after a transfer)."""
    with runtime(quiet=True) as rt:
        given = rt.staff.grant(Principal.local(), staff_id, _role(role), _code(jurisdiction),
                               _day(valid_from), _day(valid_until))
    emit(given.model_dump(mode="json"))


@app.command("revoke")
def revoke(
    staff_id: StaffIdArg, reason: ReasonOpt,
    grant_no: Annotated[int, typer.Option("--grant", min=1, help="The grant's number"
                                          " (`users show`).")],
    on: Annotated[datetime | None, typer.Option(
        "--on", formats=["%Y-%m-%d"], help="First day the role is no longer held (default"
        " today; a day on or before its start voids the grant).")] = None,
) -> None:
    """End a role."""
    with runtime(quiet=True) as rt:
        rt.staff.revoke(Principal.local(), staff_id, grant_no, _day(on), reason)
    typer.echo(f"grant {grant_no} of {staff_id} ended")


@app.command("disable")
def disable(staff_id: StaffIdArg, reason: ReasonOpt) -> None:
    """Stop the account signing in (its recorded acts stand; its tokens stop working)."""
    with runtime(quiet=True) as rt:
        rt.staff.disable(Principal.local(), staff_id, reason)
    typer.echo(f"{staff_id} disabled")


@app.command("enable")
def enable(staff_id: StaffIdArg, reason: ReasonOpt) -> None:
    """Let a disabled account sign in again."""
    with runtime(quiet=True) as rt:
        rt.staff.enable(Principal.local(), staff_id, reason)
    typer.echo(f"{staff_id} enabled")


@app.command("passwd")
def passwd(staff_id: StaffIdArg, password_stdin: PasswordStdin = False) -> None:
    """Set a member's password."""
    password = read_password(password_stdin, confirm=True)
    with runtime(quiet=True) as rt:
        rt.staff.set_password(Principal.local(), staff_id, password)
    typer.echo(f"password of {staff_id} set")


@app.command("token")
def token(
    staff_id: StaffIdArg,
    days: Annotated[int, typer.Option("--days", min=1, max=366)] = 365,
    label: Annotated[str | None, typer.Option("--label", max=80)] = None,
) -> None:
    """Issue an API token; it is printed once, alone on the last line."""
    with runtime(quiet=True) as rt:
        issued = rt.staff.issue_token(Principal.local(), staff_id, days, label)
    _print_token(issued)


@app.command("revoke-token")
def revoke_token(token_id: Annotated[str, typer.Argument(help="The token's id (16 hex).")],
                 reason: ReasonOpt) -> None:
    """Revoke a token by its id."""
    with runtime(quiet=True) as rt:
        rt.staff.revoke_token(Principal.local(), token_id, reason)
    typer.echo(f"token {token_id} revoked")


@app.command("import")
def import_staff(path: Annotated[Path, typer.Argument(
        metavar="FILE.csv", help="Columns: " + ",".join(CSV_COLUMNS) + " (header row).")]) -> None:
    """Register many members from a CSV file, in one write; members already there are kept."""
    with refusals():
        rows = _csv_members(path)
    with runtime(quiet=True, create=True) as rt:
        added = rt.staff.register_many(Principal.local(), rows)
    emit({"rows": len(rows), "registered": len(added), "already_registered": len(rows)
          - len(added)})


@app.command("list")
def list_(
    within: Annotated[str | None, typer.Option("--within", help="Division code.")] = None,
    role: Annotated[str | None, typer.Option("--role")] = None,
    status: Annotated[str | None, typer.Option("--status", help="active or disabled.")] = None,
    on: Annotated[datetime | None, typer.Option(
        "--on", formats=["%Y-%m-%d"], help="Only roles held on this day.")] = None,
    json_output: Json = False, no_catch_up: NoCatchUp = False,
) -> None:
    """Members and their roles (names masked)."""
    with refusals(), read_models(no_catch_up) as db:
        found = list_staff(db, within, role, status, _day(on))
    if json_output:
        emit(found)
        return
    for m in found:
        roles = "; ".join(f"{g['role']}@{g['jurisdiction']} {g['valid_from']}…"
                          f"{g['valid_until'] or ''}" for g in m["grants"])
        typer.echo(f"{m['staff_id']:<20} {m['name']:<6} {m['status']:<8} {roles}")


@app.command("show")
def show(staff_id: StaffIdArg, no_catch_up: NoCatchUp = False) -> None:
    """One member: roles with their dates, tokens by id (never the secret)."""
    with read_models(no_catch_up) as db:
        found = show_staff(db, staff_id.strip().casefold())
    if found is None:
        typer.echo(f"error: no staff member {staff_id!r}", err=True)
        raise typer.Exit(1)
    emit(found)


def _print_token(issued: IssuedToken | None) -> None:
    if issued is None:
        return
    typer.echo(f"token {issued.token_id} for {issued.staff_id}, expires"
               f" {issued.expires_at:%Y-%m-%d}; shown once, keep it secret:")
    typer.echo(issued.token)


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InvalidInputError("input.enum", "role", value,
                                f"role is one of {', '.join(Role)}") from None


def _code(value: str, field: str = "jurisdiction") -> str:
    try:
        return check_code(value)
    except ValueError as error:
        raise InvalidInputError("input.division_code", field, value, str(error)) from None


def _day(value: datetime | date | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def _csv_members(path: Path) -> list[NewMember]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInputError("input.file", "path", str(path), f"{path}: {error}") from None
    return [_csv_member(n, row) for n, row in enumerate(rows, 2)]


def _csv_member(line: int, row: dict[str, Any]) -> NewMember:
    unknown = sorted(set(row) - set(CSV_COLUMNS) - {None})
    if unknown or not row.get("staff_id") or not row.get("name"):
        raise InvalidInputError("staff.csv_row", f"line {line}", unknown or None,
                                f"line {line}: columns are {', '.join(CSV_COLUMNS)};"
                                " staff_id and name are required")

    def day(key: str) -> date | None:
        text = (row.get(key) or "").strip()
        try:
            return date.fromisoformat(text) if text else None
        except ValueError:
            raise InvalidInputError("input.date", f"line {line}.{key}", text,
                                    f"line {line}: {key} is YYYY-MM-DD") from None

    return NewMember(row["staff_id"], row["name"], _role(row.get("role") or ""),
                     _code(row.get("jurisdiction") or "", f"line {line}.jurisdiction"),
                     day("valid_from"), day("valid_until"), (row.get("id_number") or None))
