"""参照数据的格式: every kind's file, as CSV or Excel, English or Chinese headers, read into
stored entries — blind indexes, masked IDs, attributes by id — or rejected by row and column."""

from __future__ import annotations

import tracemalloc
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from renovation.aggregates.registry import RegistryKind
from renovation.identity import BlindIndexer, validate_id_number
from renovation.registry.kinds import KINDS
from renovation.registry.parsing import RegistryFileError, RowReject
from renovation.registry.readers import file_digest
from renovation.registry.samples import example_row, write_csv, write_xlsx
from renovation.registry.spool import Spool, spool_file
from renovation.simulation.people import id_number

INDEXER = BlindIndexer(b"i" * 32)
AS_OF = date(2022, 6, 30)
PERSON = id_number("450321", 17)
# A complete row of every kind (every optional column filled) and the attributes it stores.
FULL: dict[RegistryKind, tuple[dict[str, Any], dict[str, Any]]] = {
    RegistryKind.DIBAO: (
        {"valid_until": "2022-12-31", "area": "城市"},
        {"division_code": "450321100201", "valid_from": "2021-01-01",
         "valid_until": "2022-12-31", "area": "urban"}),
    RegistryKind.TEKUN: (
        {"support_mode": "分散供养"},
        {"division_code": "450321100201", "valid_from": "2021-01-01", "valid_until": None,
         "support_mode": "dispersed"}),
    RegistryKind.DIBAO_MARGINAL: (
        {}, {"division_code": "450321100201", "valid_from": "2021-01-01", "valid_until": None}),
    RegistryKind.MONITORING: (
        {"monitoring_type": "突发严重困难户", "valid_from": "2021/3/5"},
        {"division_code": "450321100201", "valid_from": "2021-03-05", "valid_until": None,
         "monitoring_type": "sudden_hardship"}),
    RegistryKind.HOUSEHOLD_REGISTRATION: (
        {"relationship": "长子", "left_on": "2022-05-01", "previous_household_no": "450321000",
         "deceased_on": None},
        {"division_code": "450321100201", "relationship": "child", "joined_on": "1990-05-01",
         "left_on": "2022-05-01", "deceased_on": None,
         "previous_household_ref": INDEXER.ref("household_no", "450321000")}),
    RegistryKind.VEHICLES: (
        {"vehicle_type": "拖拉机", "deregistered_on": "20220101", "division_code": None},
        {"vehicle_type": "agricultural", "registered_on": "2019-03-01",
         "deregistered_on": "2022-01-01", "division_code": None}),
    RegistryKind.COMPANIES: (
        {"role": "股东", "division_code": "450321000000"},
        {"role": "shareholder", "registered_on": "2019-03-01", "deregistered_on": None,
         "division_code": "450321000000"}),
    RegistryKind.REAL_ESTATE: (
        {"use": "商铺", "floor_area_m2": "86.5", "division_code": "450302001001"},
        {"use": "commercial", "registered_on": "2019-03-01", "cancelled_on": None,
         "floor_area_m2": "86.50", "division_code": "450302001001"}),
    RegistryKind.PUBLIC_EMPLOYEES: (
        {"employer_kind": "事业单位", "until": "2030-01-31"},
        {"employer_kind": "public_institution", "from": "2015-09-01", "until": "2030-01-31",
         "division_code": None}),
}


def load(path: Path, kind: RegistryKind | str) -> tuple[Spool, list[RowReject]]:
    rejects: list[RowReject] = []
    spool = spool_file(path, KINDS[RegistryKind(kind)], INDEXER, AS_OF, rejects.append)
    return spool, rejects


def entries(spool: Spool) -> list[dict[str, Any]]:
    with spool:
        return [row for batch in spool.batches(2) for row in batch]


def test_every_kind_has_the_person_and_documented_columns() -> None:
    assert set(KINDS) == set(RegistryKind)
    for spec in KINDS.values():
        assert spec.columns[0].name == "id_number" and spec.columns[0].required
        assert len({c.name for c in spec.columns}) == len(spec.columns)


@pytest.mark.parametrize("kind", list(RegistryKind))
@pytest.mark.parametrize("form", ["csv", "csv-chinese", "xlsx", "xlsx-chinese"])
def test_each_kind_is_read_from_csv_and_excel_with_english_or_chinese_headers(
    kind: RegistryKind, form: str, tmp_path: Path,
) -> None:
    values, attrs = FULL[kind]
    row = example_row(kind, PERSON, 姓名="张三丰", **values)
    write = write_xlsx if form.startswith("xlsx") else write_csv
    path = write(tmp_path / f"{kind}.{form.split('-')[0]}", kind, [row],
                 chinese=form.endswith("chinese"))
    spool, rejects = load(path, kind)
    assert rejects == [] and spool.ignored_columns == ("姓名",)
    (entry,) = entries(spool)
    assert entry["row_no"] == 2
    assert entry["person_ref"] == INDEXER.ref("id_number", validate_id_number(PERSON, "x"))
    assert entry["masked_id"] == f"{PERSON[:6]}********{PERSON[-4:]}"
    assert entry["attrs"] == attrs
    household = kind is RegistryKind.HOUSEHOLD_REGISTRATION
    assert entry["household_ref"] == (INDEXER.ref("household_no", "450321001") if household
                                      else None)


def test_a_byte_order_mark_aliases_and_a_unit_in_a_header_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "dibao.csv"
    path.write_text("\ufeff 公民身份号码 ,*区划代码,享受起始日期（年月日）,低保类别\n"
                    f"{PERSON.lower()},450321100201,2021年1月5日,农村\n", encoding="utf-8")
    spool, rejects = load(path, "dibao")
    (entry,) = entries(spool)
    assert rejects == [] and entry["attrs"]["valid_from"] == "2021-01-05"
    assert entry["attrs"]["area"] == "rural"


def test_the_plaintext_id_number_is_in_no_entry_and_rows_keep_their_file_numbers(
    tmp_path: Path,
) -> None:
    rows = [example_row("tekun", id_number("450321", n)) for n in range(5)]
    path = write_csv(tmp_path / "t.csv", "tekun", [*rows[:2], {}, *rows[2:]])
    spool, _ = load(path, "tekun")
    found = entries(spool)
    assert [e["row_no"] for e in found] == [2, 3, 5, 6, 7]  # row 4 was blank
    text = repr(found)
    assert not any(r["id_number"] in text for r in rows)


BAD: list[tuple[dict[str, Any], str, str, Any]] = [
    ({"id_number": PERSON[:-1] + ("0" if PERSON[-1] != "0" else "1")},
     "identity.id_number.check_digit", "id_number", f"{PERSON[:6]}********"),
    ({"id_number": "45032119"}, "identity.id_number.format", "id_number", "***"),
    ({"valid_from": "2021-02-30"}, "registry.date", "valid_from", "2021-02-30"),
    ({"valid_from": None}, "registry.required", "valid_from", None),
    ({"area": "乡下"}, "registry.choice", "area", "乡*"),
    ({"area": "rural-ish"}, "registry.choice", "area", "rural-ish"),
    ({"division_code": "4503211002"}, "registry.division_code", "division_code", "4503211002"),
    ({"valid_from": "2022-07-01"}, "registry.date_after_as_of", "valid_from", "2022-07-01"),
    ({"valid_until": "2020-12-31"}, "registry.date_order", "valid_until", "2020-12-31"),
]


@pytest.mark.parametrize(("change", "rule", "column", "shown"), BAD,
                         ids=[case[1] for case in BAD])
def test_a_bad_value_rejects_its_row_by_number_column_and_rule_with_personal_data_masked(
    change: dict[str, Any], rule: str, column: str, shown: Any, tmp_path: Path,
) -> None:
    good = example_row("dibao", id_number("450321", 1))
    path = write_csv(tmp_path / "d.csv", "dibao", [good, {**good, **change}, good])
    spool, rejects = load(path, "dibao")
    assert [e["row_no"] for e in entries(spool)] == [2, 4]
    (reject,) = rejects
    assert (reject.row, reject.rule, reject.field) == (3, rule, column)
    if isinstance(shown, str) and shown.endswith("*"):
        assert reject.value.startswith(shown)
    else:
        assert reject.value == shown
    assert PERSON not in repr(reject.to_dict())


def test_a_value_slid_into_another_column_is_masked_in_the_reject(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text(f"id_number,division_code,valid_from,area\n{PERSON},450321100201,{PERSON},"
                    "2021-01-01\n" f"{PERSON},450321100201,2021-01-01,欧阳锋\n", encoding="utf-8")
    _, rejects = load(path, "dibao")
    assert [(r.rule, r.value) for r in rejects] == [
        ("registry.date", "***"), ("registry.choice", "欧*锋")]


def test_an_id_number_stored_by_excel_as_a_number_is_rejected_masked(tmp_path: Path) -> None:
    numeric = int(id_number("450321", 3))
    path = write_xlsx(tmp_path / "d.xlsx", "dibao", [example_row("dibao", numeric)])
    _, rejects = load(path, "dibao")
    assert [(r.rule, r.field, r.value) for r in rejects] == [
        ("registry.text_required", "id_number", "***")]


def test_household_numbers_are_text_and_masked_when_rejected(tmp_path: Path) -> None:
    row = example_row("household_registration", PERSON, household_no="户号 12")
    path = write_csv(tmp_path / "h.csv", "household_registration", [row])
    _, rejects = load(path, "household_registration")
    assert [(r.rule, r.field, r.value) for r in rejects] == [
        ("registry.household_no", "household_no", "***")]


def test_a_row_wider_than_the_header_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    path.write_text(f"id_number,vehicle_type,registered_on\n{PERSON},car,2020-01-01,extra\n",
                    encoding="utf-8")
    _, rejects = load(path, "vehicles")
    assert [(r.row, r.rule) for r in rejects] == [(2, "registry.row_width")]


def test_a_missing_required_column_refuses_the_whole_file_naming_it(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "h.csv", "household_registration",
                     [example_row("household_registration", PERSON)],
                     columns=["id_number", "division_code", "relationship", "joined_on"])
    with pytest.raises(RegistryFileError) as refused:
        load(path, "household_registration")
    assert (refused.value.rule, refused.value.field, refused.value.value) == (
        "registry.columns", "header", "household_no")
    assert "户号" in refused.value.message


def test_a_column_given_twice_refuses_the_file(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text(f"身份证号,id_number,区划代码,起始日期\n{PERSON},{PERSON},450321100201,"
                    "2021-01-01\n", encoding="utf-8")
    with pytest.raises(RegistryFileError) as refused:
        load(path, "dibao")
    assert (refused.value.rule, refused.value.value) == ("registry.columns", "id_number")


@pytest.mark.parametrize(("name", "content"), [
    ("gbk.csv", "身份证号,区划代码,起始日期\n".encode("gbk")),
    ("book.xlsx", b"not a workbook"),
    ("list.txt", b"id_number\n"),
])
def test_a_file_that_cannot_be_read_is_refused_before_anything_is_kept(
    name: str, content: bytes, tmp_path: Path,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(RegistryFileError) as refused:
        file_digest(path)
        load(path, "dibao")
    assert refused.value.rule == "registry.file" and refused.value.value == name


def test_the_digest_covers_exactly_the_stored_rows_in_order(tmp_path: Path) -> None:
    rows = [example_row("vehicles", id_number("450321", n)) for n in range(3)]
    first, _ = load(write_csv(tmp_path / "a.csv", "vehicles", rows), "vehicles")
    again, _ = load(write_xlsx(tmp_path / "a.xlsx", "vehicles", rows), "vehicles")
    changed, _ = load(write_csv(tmp_path / "b.csv", "vehicles", rows[::-1]), "vehicles")
    with first, again, changed:
        assert first.entries_sha256 == again.entries_sha256 != changed.entries_sha256


@pytest.mark.slow
def test_a_large_file_is_read_a_batch_at_a_time_in_bounded_memory(tmp_path: Path) -> None:
    rows = (example_row("household_registration", id_number("450321", n), household_no=f"H{n}")
            for n in range(20_000))
    path = write_csv(tmp_path / "big.csv", "household_registration", rows)
    tracemalloc.start()
    try:
        spool, _ = load(path, "household_registration")
        with spool:
            sizes = {len(batch) for batch in spool.batches()}
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert spool.rows == 20_000 and sizes == {1000}
    assert peak < 8_000_000  # 20,000 entries held at once would take well over 20 MB
