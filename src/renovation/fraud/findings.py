"""A finding as stored: deterministic id, rule, cases, explanation, evidence; written per page."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from uuid import NAMESPACE_URL, uuid5

import orjson
from sqlalchemy import Table, delete, select
from sqlalchemy.engine import Connection

from renovation.fraud.case_rules import Hit
from renovation.fraud.catalogue import RULES
from renovation.projections.base import Row, upsert
from renovation.projections.batch import execute_rows

FINDING_NAMESPACE = uuid5(NAMESPACE_URL, "urn:renovation:finding")


def finding_id(rule: str, subject: str) -> str:
    """The same rule on the same subject is the same finding, in every replay and rebuild."""
    return str(uuid5(FINDING_NAMESPACE, f"{rule}:{subject}"))


def finding_row(fid: str, rule: str, subject: str, hit: Hit, programme: str, county: str,
                case_refs: Sequence[str] = ()) -> Row:
    items = list(hit.evidence)
    refs = sorted({*case_refs, *(item["case_ref"] for item in items)})
    positions = [item["position"] for item in items] or [0]
    body = orjson.dumps([hit.zh, hit.en, items, refs], option=orjson.OPT_SORT_KEYS)
    return {
        "finding_id": fid, "rule": rule, "severity": RULES[rule].severity.value,
        "subject": subject, "programme": programme, "county": county, "case_refs": refs,
        "explanation_zh": hit.zh, "explanation_en": hit.en, "evidence": items,
        "digest": hashlib.sha1(body).hexdigest(),  # change detection only, not integrity
        "first_position": min(positions), "last_position": max(positions),
    }


class FindingWriter:
    """Collects a page's new, changed and cleared findings and writes them at once."""

    def __init__(self, conn: Connection, findings: Table, links: Table) -> None:
        self.conn, self.findings, self.links = conn, findings, links
        self.rows: dict[str, Row] = {}
        self.counties: dict[str, Mapping[str, str]] = {}
        self.cleared: set[str] = set()

    def known(self, ids: Iterable[str]) -> dict[str, str]:
        """The digest of each of these findings that is stored."""
        wanted, out = sorted(set(ids)), {}
        for start in range(0, len(wanted), 500):
            query = select(self.findings.c.finding_id, self.findings.c.digest).where(
                self.findings.c.finding_id.in_(wanted[start:start + 500]))
            out.update({str(fid): str(digest) for fid, digest in self.conn.execute(query)})
        return out

    def put(self, fid: str, rule: str, subject: str, hit: Hit, programme: str, county: str,
            case_refs: Sequence[str], counties: Mapping[str, str], known: str | None) -> str:
        """Write the finding unless it is stored unchanged; answer its digest.

        `counties` gives each case's county (the links filter on it)."""
        row = finding_row(fid, rule, subject, hit, programme, county, case_refs)
        if row["digest"] != known:
            self.rows[fid] = row
            self.counties[fid] = counties
            self.cleared.discard(fid)
        return str(row["digest"])

    def clear(self, fid: str) -> None:
        self.rows.pop(fid, None)
        self.cleared.add(fid)

    def flush(self) -> None:
        # A finding that no longer holds is deleted, not flagged: the table is then a function
        # of the log alone, the same whatever pages the events arrived in.
        ids = sorted(self.rows)
        gone = sorted(self.cleared)
        for start in range(0, len(gone), 500):
            self.conn.execute(delete(self.findings).where(
                self.findings.c.finding_id.in_(gone[start:start + 500])))
        for start in range(0, len(ids) + len(gone), 500):
            self.conn.execute(delete(self.links).where(
                self.links.c.finding_id.in_((ids + gone)[start:start + 500])))
        if not self.rows:
            return
        upsert(self.conn, self.findings, [self.rows[i] for i in ids], ("finding_id",))
        links: list[dict[str, Any]] = []
        for fid in ids:
            row = self.rows[fid]
            counties = self.counties[fid]
            links += [{"finding_id": fid, "case_ref": ref,
                       "county": counties.get(ref, row["county"])} for ref in row["case_refs"]]
        execute_rows(self.conn, self.links, ("insert",), self.links.insert, links)
