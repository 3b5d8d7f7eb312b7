"""`renovation report evaluation` — 年度绩效评价 of a programme (or one county), as of a date.

Input is checked before anything is read: a bad date, county code or file name is refused as
JSON on stderr (`{rule, field, value, message}`) with exit code 1, like every refused command.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from renovation.aggregates.base import CHINA_STANDARD_TIME
from renovation.cli.common import emit, refusals
from renovation.cli.projections import Json, NoCatchUp, read_models
from renovation.kernel.errors import InvalidInputError
from renovation.projections.evaluation_sheets import evaluation_sheets, met_word
from renovation.projections.queries.evaluation import check_as_of, evaluate
from renovation.projections.workbook import write_report_workbook

TERMINAL = ("target_households", "accepted", "completion_rate")


def _file(path: Path | None, suffix: str, field: str) -> Path | None:
    if path is not None and path.suffix.lower() != suffix:
        raise InvalidInputError("input.file_suffix", field, str(path),
                                f"{path}: the file name must end in {suffix}")
    return path


def evaluation(
    programme: Annotated[str, typer.Option("--programme", help="Programme id.")],
    county: Annotated[str | None, typer.Option(
        "--county", help="12-digit county code (default: the whole programme).")] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Count acts dated on or before YYYY-MM-DD (default: today).")] = None,
    xlsx: Annotated[Path | None, typer.Option(
        "--xlsx", help="Also write the workbook (.xlsx): figures, definitions, each county.")
    ] = None,
    html: Annotated[Path | None, typer.Option(
        "--html", help="Also write the printable report (.html, A4).")] = None,
    json_output: Json = False, no_catch_up: NoCatchUp = False,
) -> None:
    """绩效评价 — targets, calendar, money, spot check, findings: each figure with its rule."""
    with refusals():
        day = check_as_of(as_of, datetime.now(CHINA_STANDARD_TIME).date())
        _file(xlsx, ".xlsx", "xlsx")
        _file(html, ".html", "html")
        with read_models(no_catch_up) as db:
            answer = evaluate(db, programme, day, county)
    _write(answer, xlsx, html)
    if json_output:
        emit(answer)
        return
    _print(answer)


def _write(answer: dict[str, Any], xlsx: Path | None, html: Path | None) -> None:
    err = Console(stderr=True)
    if xlsx is not None:
        count = write_report_workbook(evaluation_sheets(answer), xlsx)
        err.print(f"{count} rows written to {xlsx}")
    if html is not None:
        from renovation.web.evaluation import standalone_html  # the web stack only when asked

        html.parent.mkdir(parents=True, exist_ok=True)
        html.write_text(standalone_html(answer), encoding="utf-8")
        err.print(f"printable report written to {html}")


def _print(answer: dict[str, Any]) -> None:
    p = answer["programme"]
    scope = answer["county_name"] or answer["county"] or "全部县（市、区）"
    console = Console(highlight=False)
    console.print(f"{p['title']} 年度绩效评价 — {scope}，截至 {answer['as_of']}")
    table = Table("id", "指标", "数值", "目标", "达标", title="指标（口径见 --json / --xlsx）")
    for f in answer["figures"]:
        table.add_row(f["id"], f["label_zh"], _n(f["value"]), _n(f["target"]), met_word(f))
    console.print(table)
    # A terminal is too narrow for every headline figure; the files carry the whole table.
    shown = [key for key in TERMINAL if key in {c["id"] for c in answer["overall"]["columns"]}]
    labels = {c["id"]: c["label_zh"] for c in answer["overall"]["columns"]}
    overall = Table("code", "name", *(labels[key] for key in shown), "达标/考核",
                    title="总表（全部列见 --xlsx / --html）")
    for row in answer["overall"]["rows"]:
        overall.add_row(row["code"], row["name"] or "",
                        *(_n(row["values"].get(key)) for key in shown),
                        f"{row['figures_met']}/{row['figures_judged']}")
    console.print(overall)


def _n(value: Any) -> str:
    if value is None:
        return "—"
    return f"{value:,}" if isinstance(value, int) else str(value)
