"""The cases holding a blind index (an ID number's or a full name's), for the inspector's search."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from renovation.projections.database import ViewsDatabase
from renovation.projections.queries.common import tables


@dataclass(frozen=True)
class ReadModelIdentities:
    """`IdentityIndex` over the `identities` read model."""

    db: ViewsDatabase

    def cases(self, kind: str, ref: str) -> list[tuple[str, str]]:
        t = tables(self.db)["rv_identities"]
        query = (select(t.c.case_ref, t.c.village).where(t.c.kind == kind, t.c.ref == ref)
                 .distinct().order_by(t.c.case_ref))
        with self.db.engine.connect() as conn:
            return [(case_ref, village) for case_ref, village in conn.execute(query)]
