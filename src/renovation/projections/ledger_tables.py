"""The housing-safety ledgers' tables: houses, their ledger entries, and the cases linked."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, Integer, String

from renovation.projections.base import TableSpec

HOUSES = TableSpec(
    "rv_houses",
    lambda: [
        Column("house_id", String(36), primary_key=True),
        Column("village", String(12), nullable=False),
        Column("township", String(12), nullable=False),
        Column("county", String(12), nullable=False),
        Column("house_no", String(20), nullable=False),
        Column("head_masked", String(64), nullable=False),
        Column("household_ref", String(64), nullable=False),
        Column("ledger", String(12), nullable=False),
        Column("category", String(24), nullable=True),
        Column("built_year", Integer, nullable=True),
        Column("seismic_measures", Boolean, nullable=True),
        Column("sole_dwelling", Boolean, nullable=False),
        Column("recorded_on", Date, nullable=False),
        Column("last_patrol_on", Date, nullable=True),
        Column("last_assessed_on", Date, nullable=True),
        Column("last_grade", String(1), nullable=True),
        Column("elderly_since", Date, nullable=True),
        Column("entries", Integer, nullable=False),
        Column("entry_open", Boolean, nullable=False),
        Column("renovated_on", Date, nullable=True),
        Column("position", Integer, nullable=False),
    ],
    indexes=(("village",), ("township",), ("county",), ("household_ref",)),
)

ENTRIES = TableSpec(
    "rv_ledger_entries",
    lambda: [
        Column("house_id", String(36), primary_key=True),
        Column("entry_no", Integer, primary_key=True),
        Column("village", String(12), nullable=False),
        Column("township", String(12), nullable=False),
        Column("county", String(12), nullable=False),
        Column("ledger", String(12), nullable=False),
        Column("found_on", Date, nullable=False),
        Column("found_by", String(20), nullable=False),
        Column("suspected_grade", String(1), nullable=False),
        Column("grade", String(1), nullable=True),
        Column("report_due", Date, nullable=False),
        Column("reported_on", Date, nullable=True),
        Column("case_ref", String(64), nullable=True),
        Column("fallback", Boolean, nullable=False),
        Column("self_repair_ordered_on", Date, nullable=True),
        Column("resolved_on", Date, nullable=True),
        Column("resolution", String(24), nullable=True),
        Column("position", Integer, nullable=False),
    ],
    indexes=(("village", "found_on"), ("township", "found_on"), ("county", "found_on"),
             ("case_ref",)),
)

CASE_LINKS = TableSpec(
    "rv_house_cases",
    lambda: [
        Column("case_id", String(36), primary_key=True),
        Column("case_ref", String(64), nullable=True),
        Column("village", String(12), nullable=True),
        Column("house_id", String(36), nullable=True),
        Column("entry_no", Integer, nullable=True),
        Column("found_on", Date, nullable=True),
        Column("linked_on", Date, nullable=True),
        Column("approved_on", Date, nullable=True),
        Column("accepted_on", Date, nullable=True),
    ],
    indexes=(("case_ref",), ("house_id",), ("village", "approved_on")),
)
