"""Every projection the product maintains, in the order they are caught up."""

from __future__ import annotations

from collections.abc import Iterable

from renovation.fraud.comparison import Comparison
from renovation.fraud.projection import Findings
from renovation.projections.base import Projection
from renovation.projections.cases import CaseList
from renovation.projections.identities import Identities
from renovation.projections.ledger import Ledger
from renovation.projections.notices import Notices
from renovation.projections.objections import Objections
from renovation.projections.payments import Payments
from renovation.projections.programmes import Programmes
from renovation.projections.spotchecks import SpotChecks
from renovation.projections.staff import StaffDirectoryView
from renovation.projections.tipoffs import TipOffs

REGISTRY: tuple[type[Projection], ...] = (
    Programmes, CaseList, Payments, Notices, Findings, SpotChecks, StaffDirectoryView,
    Identities, Objections, Ledger, TipOffs, Comparison,
)


class UnknownProjectionError(KeyError):
    """A projection name that the registry does not list."""


def projections(names: Iterable[str] | None = None) -> list[Projection]:
    """Fresh instances of the named projections (all when `names` is None)."""
    known = {cls.name: cls for cls in REGISTRY}
    if names is None:
        return [cls() for cls in REGISTRY]
    chosen = []
    for name in names:
        if name not in known:
            raise UnknownProjectionError(
                f"no projection {name!r}; known: {', '.join(sorted(known))}"
            )
        chosen.append(known[name]())
    return chosen
