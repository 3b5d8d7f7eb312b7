"""`renovation policy` — the subsidy policies shipped as data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from renovation.cli.common import emit, refusals
from renovation.policy import all_policies, load_policy, standards
from renovation.policy.citations import (
    CitedFigure,
    DecisionCitation,
    DocumentCitation,
    SeedCitation,
    cited_figures,
)

app = typer.Typer(help="Subsidy policies (one per jurisdiction × year).", no_args_is_help=True)


@app.command("list")
def list_policies() -> None:
    """List the policies with their version, jurisdiction and rates."""
    table = Table("id", "version", "jurisdiction", "title", "rates")
    for policy in all_policies():
        rates = ", ".join(f"{r.id} {r.amount}" for r in policy.subsidy_rates)
        table.add_row(policy.id, str(policy.version), policy.jurisdiction, policy.title, rates)
    Console().print(table)


@app.command("show")
def show(
    policy_id: str,
    as_json: Annotated[bool, typer.Option("--json", help="The policy as JSON, with `figures`: "
                                          "each figure, its value and its citation.")] = False,
) -> None:
    """Print each figure of a policy beside its source (出处): the seed section that states it,
    or the document or decision it comes from where no seed does (docs/policy-sources.md)."""
    with refusals():
        policy = load_policy(policy_id)
    figures = cited_figures(policy, policy.sources)
    if as_json:
        emit({**policy.model_dump(mode="json"), "figures": [
            {"figure": f.path, "value": _json(f.value), "cited_at": f.cited_at,
             "source": f.citation.text(), "citation": f.citation.model_dump(mode="json")}
            for f in figures]})
        return
    table = Table(title=f"{policy.ref} {policy.title} — 出处", show_lines=True)
    for column in ("figure", "value", "source", "basis"):
        table.add_column(column, overflow="fold")
    for at, value, citation in _grouped(figures):
        table.add_row(*(Text(cell) for cell in (at, value, citation.text(), _basis(citation))))
    kinds = [type(c).__name__ for _, _, c in _grouped(figures)]
    table.caption = (f"{kinds.count('SeedCitation')} stated by a seed,"
                     f" {kinds.count('DocumentCitation')} from other documents,"
                     f" {kinds.count('DecisionCitation')} decisions (no seed states them)")
    Console().print(table)


Citation = SeedCitation | DocumentCitation | DecisionCitation


def _grouped(figures: list[CitedFigure]) -> list[tuple[str, str, Citation]]:
    """One line per citation: the figures it covers, relative to the cited path."""
    lines: dict[str, list[CitedFigure]] = {}
    for figure in figures:
        lines.setdefault(figure.cited_at, []).append(figure)
    rows = []
    for at, covered in lines.items():
        if len(covered) == 1 and covered[0].path == at:
            value = _plain(covered[0].value)
        else:
            value = "\n".join(f"{f.path.removeprefix(at + '.')} = {_plain(f.value)}"
                              for f in covered if f.path != f"{at}.id" and f.value != frozenset())
        rows.append((at, value, covered[0].citation))
    return rows


def _basis(citation: Citation) -> str:
    if isinstance(citation, SeedCitation):
        quote = f"「{citation.quote}」" if citation.quote else ""
        return "\n".join(p for p in (quote, citation.note or "") if p)
    if isinstance(citation, DecisionCitation) and citation.basis:
        return f"{citation.note}\nbasis: {citation.basis}"
    return citation.note or ""


def _json(value: Any) -> Any:
    if isinstance(value, frozenset | set):
        return sorted(_json(v) for v in value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal | date):
        return str(value)
    return value


def _plain(value: Any) -> str:
    shown = _json(value)
    if isinstance(shown, list):
        return "[" + ", ".join(str(v) for v in shown) + "]"
    if isinstance(shown, bool):
        return "yes" if shown else "no"
    return str(shown)


@app.command("check-standards")
def check_standards(policy_id: str) -> None:
    """差异化补助: each county table's planned averages against the programme's 户均 figures.

    POLICY_ID is a shipped policy or a path to a policy file (.toml). Prints every county ×
    department (and fund source) average as JSON; exits 1 naming the first county, department
    and the two averages when one lies a yuan or more from the figure (docs/subsidy.md)."""
    with refusals():
        policy = standards.read_unchecked(policy_id)
        emit(standards.report(policy))
        standards.check(policy)
