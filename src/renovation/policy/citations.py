"""出处 — where each figure of a policy comes from, as data a loader checks.

A policy file ends with a `[sources]` table: figure path → citation. A citation is one of

* `seed`: a section of one of the plans the product is built from (the seeds), optionally with
  the words it quotes — the plan itself states the figure;
* `document`: a named document that is not a seed (e.g. 建村〔2018〕115号), with a note saying why
  it applies where the plan is silent;
* `decision`: who set the figure and when, with a note saying plainly that no seed states it.

A figure is a leaf of the validated policy (defaults included): a scalar or a set; mappings are
descended key by key, rows of a table (`subsidy_rates`) by their `id` (else their position). A
citation covers the figures at and below its path, so `area.min_by_size` cites every household
size. It may name a figure, a mapping or a row, never a whole section or table, so that a figure
added to a section later is reported uncited instead of inheriting a citation nobody wrote for
it. A row that records who set it and when (`set_by`, `set_on`: a county decision) cites itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

HEADER = frozenset({"id", "version", "title", "issued_by", "issued_on", "jurisdiction", "year",
                    "sources"})
"""The policy's own identity (the document it is), not figures it sets."""
PROSE = frozenset({"source", "max_source"})
"""Free-text notes some sections carried before citations were data: not figures."""


@dataclass(frozen=True)
class Seed:
    """One of the plans the product is built from (a seed)."""

    title: str
    issued_by: str
    document_no: str | None = None
    issued_on: date | None = None
    jurisdiction: str | None = None


SEEDS: dict[str, Seed] = {
    "000": Seed("2023年巩固拓展农村住房安全保障成果与乡村振兴有效衔接工作实施方案",
                "鹿鸣乡人民政府", issued_on=date(2023, 3, 23)),
    "003": Seed("宁夏农村低收入群体等重点对象住房安全保障工作实施方案",
                "宁夏回族自治区住房和城乡建设厅等七部门", document_no="宁建发〔2021〕40号",
                jurisdiction="640000000000"),
    "004": Seed("2022年桂林市农村危房改造实施方案", "桂林市住房和城乡建设局",
                issued_on=date(2022, 7, 22), jurisdiction="450300000000"),
}

Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=8, max_length=600)]
Section = Annotated[str, StringConstraints(pattern=r"^§[一二三四五六七八九十]+\S*$")]


class _Citation(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SeedCitation(_Citation):
    """出自方案 — the seed's section states the figure (`quote`: its words, verbatim)."""

    kind: Literal["seed"]
    seed: Literal["000", "003", "004"]
    section: Section
    quote: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _says_what(self) -> Self:
        if not (self.quote or self.note):
            raise ValueError(f"a citation of seed {self.seed} {self.section} quotes the plan's"
                             " words (quote) or says how the figure follows from it (note)")
        return self

    def text(self) -> str:
        return f"seed {self.seed} {self.section}《{SEEDS[self.seed].title}》"


class DocumentCitation(_Citation):
    """出自其他文件 — a named document that is not a seed; `note` says why it applies."""

    kind: Literal["document"]
    document: Annotated[str, StringConstraints(min_length=2, max_length=120)]
    title: str | None = None
    section: str | None = None
    note: Note

    def text(self) -> str:
        parts = [self.document, f"《{self.title}》" if self.title else "", self.section or ""]
        return " ".join(p for p in parts if p)


class DecisionCitation(_Citation):
    """决定 — set by someone on a day, not stated by any seed (`note` says so plainly)."""

    kind: Literal["decision"]
    set_by: Annotated[str, StringConstraints(min_length=2, max_length=120)]
    set_on: date
    basis: str | None = None
    note: Note

    def text(self) -> str:
        return f"decision: {self.set_by}, {self.set_on.isoformat()}"


Citation = Annotated[SeedCitation | DocumentCitation | DecisionCitation,
                     Field(discriminator="kind")]


@dataclass(frozen=True)
class Node:
    """A place in the policy tree: a figure (`leaf`), or a container of figures."""

    path: str
    value: Any
    leaf: bool
    citable: bool
    decided: DecisionCitation | None = None


def _key(key: Any) -> str:
    return str(key.value if isinstance(key, Enum) else key)


def nodes(model: BaseModel) -> Iterator[Node]:
    """Every node below the policy's top level, parents before children (header and prose
    excluded, unset values skipped)."""
    for name in type(model).model_fields:
        if name not in HEADER:
            yield from _walk(name, getattr(model, name), citable=False)


def _walk(path: str, value: Any, citable: bool) -> Iterator[Node]:
    if value is None:
        return
    if isinstance(value, BaseModel):
        yield Node(path, value, leaf=False, citable=citable, decided=_self_cited(value))
        for name in type(value).model_fields:
            if name not in PROSE:
                yield from _walk(f"{path}.{name}", getattr(value, name), citable=True)
    elif isinstance(value, dict):
        yield Node(path, value, leaf=False, citable=True)
        for key, item in value.items():
            yield from _walk(f"{path}.{_key(key)}", item, citable=True)
    elif isinstance(value, tuple | list):
        yield Node(path, value, leaf=False, citable=False)
        for index, row in enumerate(value):
            yield from _walk(f"{path}.{getattr(row, 'id', index)}", row, citable=True)
    else:
        yield Node(path, value, leaf=True, citable=True)


def _self_cited(row: BaseModel) -> DecisionCitation | None:
    """A row that says who set it and when is its own citation."""
    set_by, set_on = getattr(row, "set_by", None), getattr(row, "set_on", None)
    if not isinstance(set_by, str) or not isinstance(set_on, date):
        return None
    return DecisionCitation(kind="decision", set_by=set_by, set_on=set_on,
                            note="a decision recorded with its figures in the policy file")


def _citations(model: BaseModel, sources: dict[str, Any]) -> dict[str, Any]:
    """The `[sources]` entries plus the rows that cite themselves."""
    return {**{n.path: n.decided for n in nodes(model) if n.decided}, **sources}


def _covering(path: str, sources: dict[str, Any]) -> str | None:
    """The most specific cited path at or above `path`."""
    parts = path.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in sources:
            return candidate
    return None


def uncited(model: BaseModel, sources: dict[str, Any]) -> list[str]:
    """The figures no citation covers; a row or mapping none of whose figures is cited is
    named once instead of figure by figure."""
    tree, cited = list(nodes(model)), _citations(model, sources)
    bare = {n.path for n in tree if n.leaf and _covering(n.path, cited) is None}
    named: list[str] = []
    for node in tree:
        if any(node.path.startswith(f"{p}.") for p in named):
            continue
        if node.leaf:
            whole = node.path in bare
        else:
            below = {n.path for n in tree if n.leaf and n.path.startswith(f"{node.path}.")}
            whole = node.citable and bool(below) and below <= bare
        if whole:
            named.append(node.path)
    return named


def misplaced(model: BaseModel, sources: dict[str, Any]) -> list[str]:
    """Cited paths that name no figure, or name a whole section or table."""
    citable = {n.path for n in nodes(model) if n.citable}
    return [path for path in sources if path not in citable]


def check_sources(model: BaseModel, sources: dict[str, Any], jurisdiction: str) -> None:
    """ValueError naming what is wrong with a policy's `[sources]`, if anything."""
    if wrong := misplaced(model, sources):
        raise ValueError(
            f"[sources] names {', '.join(wrong)}: a citation names a figure, a mapping or a"
            " row of this policy, never a whole section or table (cite its figures one by one)")
    if missing := uncited(model, sources):
        raise ValueError(
            f"no citation for {', '.join(missing)}: every figure needs a [sources] entry"
            " (a seed section, a named document, or a decision saying who set it and when)")
    for path, citation in sources.items():
        if isinstance(citation, SeedCitation):
            seed = SEEDS[citation.seed]
            if seed.jurisdiction not in (None, jurisdiction):
                raise ValueError(
                    f"[sources] {path} cites seed {citation.seed}, the plan of"
                    f" {seed.jurisdiction}, for a policy of {jurisdiction}: a plan states figures"
                    " for its own area; cite what was adopted from it as a decision")


@dataclass(frozen=True)
class CitedFigure:
    """One figure beside the citation that covers it."""

    path: str
    value: Any
    cited_at: str
    citation: SeedCitation | DocumentCitation | DecisionCitation


def cited_figures(model: BaseModel, sources: dict[str, Any]) -> list[CitedFigure]:
    """Every figure with its citation, in the policy's order (all are cited once loaded)."""
    figures, cited = [], _citations(model, sources)
    for node in nodes(model):
        at = _covering(node.path, cited) if node.leaf else None
        if at is not None:
            figures.append(CitedFigure(node.path, node.value, at, cited[at]))
    return figures
