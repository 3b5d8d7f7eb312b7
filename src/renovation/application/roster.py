"""申请名册 — a village's application roster (.xlsx, Chinese headers) as applications.

Each data row becomes one `submit_application` filed by the village clerk of the row's village,
with a command id derived from the case reference, so importing a roster again applies nothing
twice. Rows go through `import_commands`, the JSONL door's function, so rejects read the same
(the row number as in Excel, the column in `field`). Columns are found by header, in any order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from renovation.application.importing import (
    DEFAULT_BATCH_SIZE,
    ImportReport,
    Item,
    Refused,
    RejectSink,
    UnreadableFileError,
    import_commands,
)
from renovation.application.principal import Principal
from renovation.application.service import CaseService
from renovation.identity import mask_unknown
from renovation.kernel.errors import RuleViolation
from renovation.kernel.jurisdiction import Level, check_code, level_of
from renovation.kernel.vocabulary import Category, HouseStructure, LabelledEnum, RenovationMode

REQUIRED = ("案件编号", "户主姓名", "户主身份证号码", "家庭人口", "所在村代码", "对象类别",
            "拟改造方式", "房屋结构")
OPTIONAL = ("联系电话", "村民小组", "开户银行", "一卡通账号", "账号类型", "建造年代", "房屋面积")
MEMBER_PARTS = {"姓名": "name", "身份证号码": "id_number", "关系": "relationship"}
MAX_MEMBERS = 5
MEMBERS = tuple(f"成员{n}{part}" for n in range(1, MAX_MEMBERS + 1) for part in MEMBER_PARTS)
IGNORED = ("序号", "备注")
ALIASES = {"户主身份证号": "户主身份证号码", "一卡（折）通账号": "一卡通账号",
           "社保卡账号": "一卡通账号", "身份证号码": "户主身份证号码"}
# Excel keeps 15 significant digits of a number: an 18-digit ID typed as a number is lost.
TEXT_ONLY = frozenset(
    {"户主身份证号码", "一卡通账号", *(f"成员{n}身份证号码" for n in range(1, MAX_MEMBERS + 1))}
)
HEADER_SEARCH_ROWS = 10  # a roster may open with a title row or two above its header

_FIELD_COLUMNS = {
    "case_ref": "案件编号", "command_id": "案件编号", "payload.village_code": "所在村代码",
    "actor.jurisdiction": "所在村代码", "payload.household.head.name": "户主姓名",
    "payload.household.head.id_number": "户主身份证号码", "payload.household.size": "家庭人口",
    "payload.household.phone": "联系电话", "payload.household.group": "村民小组",
    "payload.household.account.bank": "开户银行", "payload.household.account.number": "一卡通账号",
    "payload.household.account.kind": "账号类型", "payload.category": "对象类别",
    "payload.planned_mode": "拟改造方式", "payload.house.structure": "房屋结构",
    "payload.house.year_built": "建造年代", "payload.house.floor_area_m2": "房屋面积",
}
_MEMBER_HEADERS = {key: part for part, key in MEMBER_PARTS.items()}
_MEMBER_FIELD = re.compile(r"payload\.household\.members\.(\d+)\.(name|id_number|relationship)")
_TRAILING_UNIT = re.compile(r"[（(][^（）()]*[）)]$")
_ACCOUNT_KINDS = {"银行卡": "card", "存折": "passbook", "card": "card", "passbook": "passbook"}


class RosterFormatError(RuleViolation):
    """The workbook's header row is not a roster's: an unknown, repeated or missing column."""


class RosterRowError(RuleViolation):
    """A row that cannot become a command: a required cell empty, a label not in the list."""


@dataclass(frozen=True)
class RosterContext:
    """What the roster itself does not say: the programme, the filing date, and the village
    clerk who filed it (None: the principal importing the roster filed it themselves)."""

    programme: str
    clerk_id: str | None
    occurred_on: date


def column_of(field: str) -> str:
    """The roster column a command field came from (the field itself when none did)."""
    if field in _FIELD_COLUMNS:
        return _FIELD_COLUMNS[field]
    member = _MEMBER_FIELD.fullmatch(field)
    if member is None:
        return field
    return f"成员{int(member[1]) + 1}{_MEMBER_HEADERS[member[2]]}"


def normalise_header(value: Any) -> str:
    """A header as officials write it: spaces, line breaks, `*` marks and a unit dropped."""
    text = re.sub(r"\s+", "", str(value or "")).strip("*＊")
    text = _TRAILING_UNIT.sub("", text)
    return ALIASES.get(text, text)


class Roster:
    """An open roster workbook (first sheet), read row by row in openpyxl's read-only mode."""

    def __init__(self, path: Path) -> None:
        try:
            self._book = load_workbook(path, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a file it cannot read
            raise UnreadableFileError("input.file", "path", str(path),
                                      f"{path}: not a readable .xlsx workbook ({error})") from None
        try:
            self._sheet = self._book.worksheets[0]
            self.header_row, self.columns = self._header()
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Roster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._book.close()

    def rows(self, context: RosterContext) -> Iterator[tuple[int, Item]]:
        """Each non-empty data row: its Excel row number and its command (or its refusal)."""
        start = self.header_row + 1
        rows = self._sheet.iter_rows(min_row=start, values_only=True)
        for number, values in enumerate(rows, start):
            cells = {name: _cell(values[i]) for i, name in self.columns.items() if i < len(values)}
            if any(value is not None for value in cells.values()):
                yield number, _command(_Row(cells), context)

    def _header(self) -> tuple[int, dict[int, str]]:
        rows = self._sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True)
        known = {*REQUIRED, *OPTIONAL, *IGNORED}
        for number, values in enumerate(rows, 1):
            names = [normalise_header(v) for v in values]
            if sum(name in known for name in names) >= 3:
                return number, _columns(names)
        raise RosterFormatError("roster.header_row", "header", None,
                                f"no header row in the first {HEADER_SEARCH_ROWS} rows; a roster"
                                f" names its columns {'、'.join(REQUIRED)}")


def import_roster(
    path: Path, service: CaseService, principal: Principal, context: RosterContext, *,
    batch_size: int = DEFAULT_BATCH_SIZE, rejects: RejectSink | None = None,
) -> ImportReport:
    """File every row of a roster as `principal`; rejected rows go to `rejects`, numbered as
    in Excel."""
    with Roster(path) as roster:
        return import_commands(roster.rows(context), service, principal, batch_size=batch_size,
                               rejects=rejects, field_label=column_of)


def _columns(names: list[str]) -> dict[int, str]:
    """Column index → header; unknown or repeated headers and missing required ones are errors."""
    columns: dict[int, str] = {}
    for index, name in enumerate(names):
        if not name or name in IGNORED:
            continue
        if name not in REQUIRED and name not in OPTIONAL and name not in MEMBERS:
            raise RosterFormatError("roster.header_unknown", "header", name,
                                    f"unknown column {name}; see the roster's documented columns")
        if name in columns.values():
            raise RosterFormatError("roster.header_repeated", "header", name,
                                    f"column {name} appears twice")
        columns[index] = name
    missing = [name for name in REQUIRED if name not in columns.values()]
    if missing:
        raise RosterFormatError("roster.header_missing", "header", missing[0],
                                f"required column missing: {'、'.join(missing)}")
    return columns


def _cell(value: Any) -> Any:
    """A cell's value with blank text as None and text stripped."""
    if isinstance(value, str):
        return value.strip() or None
    return value


def _command(row: _Row, context: RosterContext) -> Item:
    case_ref = row.text("案件编号")
    command_id = f"{case_ref}/apply" if case_ref else None
    try:
        case_ref = row.required("案件编号")
        village = row.village_code()
        command: dict[str, Any] = {
            "command_id": command_id, "type": "submit_application", "case_ref": case_ref,
            "occurred_on": context.occurred_on.isoformat(),
            "payload": {
                "programme_id": context.programme, "village_code": village,
                "household": row.household(), "house": row.house(),
                "category": row.choice("对象类别", Category),
                "planned_mode": row.choice("拟改造方式", RenovationMode),
            },
        }
        if context.clerk_id is not None:
            command["actor"] = {"id": context.clerk_id, "role": "village_clerk"}
        return command
    except RosterRowError as error:
        return Refused(error, command_id)


@cache
def _vocabulary(kind: type[LabelledEnum]) -> dict[str, str]:
    """Every way a value may be written: its value, its label, each part of a label `甲/乙`."""
    names: dict[str, str] = {}
    for member in kind:
        for name in (member.value, member.label, *member.label.split("/")):
            names[_key(name)] = member.value
    return names


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）").lower()


class _Row:
    """The cells of one data row, by header, read into the shapes of a submit_application."""

    def __init__(self, cells: Mapping[str, Any]) -> None:
        self.cells = cells

    def required(self, column: str) -> str:
        text = self.text(column)
        if text is None:
            raise RosterRowError("roster.required", column, None, f"{column} is empty")
        return text

    def text(self, column: str) -> str | None:
        value = self.cells.get(column)
        if value is None:
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            if column in TEXT_ONLY:
                raise RosterRowError("roster.text_required", column, mask_unknown(),
                                     f"{column} was entered as a number; Excel keeps only 15"
                                     " digits: format the column as text and type it again")
            return str(int(value)) if float(value).is_integer() else str(value)
        return str(value)

    def integer(self, column: str, required: bool = False, suffix: str = "") -> int | None:
        text = self.required(column) if required else self.text(column)
        if text is None:
            return None
        digits = text.removesuffix(suffix)
        if not digits.isascii() or not digits.isdigit():
            raise RosterRowError("roster.integer", column, text, f"{column} is not a whole number")
        return int(digits)

    def choice(self, column: str, kind: type[LabelledEnum]) -> str:
        text = self.required(column)
        found = _vocabulary(kind).get(_key(text))
        if found is None:
            labels = "、".join(member.label for member in kind)
            raise RosterRowError("roster.unknown_label", column, text,
                                 f"{column} {text!r} is none of: {labels}")
        return found

    def village_code(self) -> str:
        code = self.required("所在村代码")
        try:
            if level_of(check_code(code)) is Level.VILLAGE:
                return code
        except ValueError:
            pass
        raise RosterRowError("roster.village_code", "所在村代码", code,
                             "所在村代码 is a 12-digit village division code")

    def household(self) -> dict[str, Any]:
        household: dict[str, Any] = {
            "head": {"name": self.required("户主姓名"),
                     "id_number": self.required("户主身份证号码")},
            "members": self._members(), "size": self.integer("家庭人口", True, suffix="人"),
            "phone": self.text("联系电话"), "account": self._account(),
            "group": self.text("村民小组"),
        }
        return {k: v for k, v in household.items() if v is not None}

    def house(self) -> dict[str, Any]:
        house: dict[str, Any] = {"structure": self.choice("房屋结构", HouseStructure),
                                 "year_built": self.integer("建造年代", suffix="年")}
        area = self.text("房屋面积")
        if area is not None:
            try:
                house["floor_area_m2"] = str(Decimal(area))
            except InvalidOperation:
                raise RosterRowError("roster.number", "房屋面积", area,
                                     "房屋面积 is not a number of square metres") from None
        return {k: v for k, v in house.items() if v is not None}

    def _account(self) -> dict[str, Any] | None:
        columns = ("开户银行", "一卡通账号", "账号类型")
        if all(self.cells.get(c) is None for c in columns):
            return None
        bank, number, kind = (self.required(c) for c in columns)
        if kind not in _ACCOUNT_KINDS:
            raise RosterRowError("roster.unknown_label", "账号类型", kind,
                                 "账号类型 is 银行卡 or 存折")
        return {"bank": bank, "kind": _ACCOUNT_KINDS[kind], "number": number}

    def _members(self) -> list[dict[str, Any]]:
        members: list[dict[str, Any]] = []
        for n in range(1, MAX_MEMBERS + 1):
            columns = {f"成员{n}{part}": key for part, key in MEMBER_PARTS.items()}
            if all(self.cells.get(c) is None for c in columns):
                continue
            if len(members) != n - 1:
                raise RosterRowError("roster.member_order", f"成员{n}姓名", None,
                                     f"成员{n} is filled in but 成员{len(members) + 1} is empty")
            members.append({key: self.required(c) for c, key in columns.items()})
        return members
