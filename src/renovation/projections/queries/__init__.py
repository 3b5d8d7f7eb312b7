"""Questions the read models answer, as plain JSON types in a fixed order (byte-comparable).

Used by the CLI now and by the HTTP API later; each takes the read-model database.
"""

from renovation.projections.queries.cases import CaseFilter, iter_cases, list_cases
from renovation.projections.queries.common import ReadModelsMissingError
from renovation.projections.queries.deadlines import overdue
from renovation.projections.queries.funding import funds
from renovation.projections.queries.funnel import progress
from renovation.projections.queries.notices import open_notices
from renovation.projections.queries.schedule import construction

__all__ = [
    "CaseFilter",
    "ReadModelsMissingError",
    "construction",
    "funds",
    "iter_cases",
    "list_cases",
    "open_notices",
    "overdue",
    "progress",
]
