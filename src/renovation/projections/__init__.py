"""Read models projected from the event log. They read events and never call the application.

`open_projector(settings)` gives a `Projector` over the configured store and read-model
database; `queries` answers from the read models in plain JSON types.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from renovation.application.app import RenovationApp
from renovation.config import Settings
from renovation.projections.base import Projection, ProjectionGapError, TableSpec
from renovation.projections.database import ViewsDatabase, open_database
from renovation.projections.registry import REGISTRY, UnknownProjectionError, projections
from renovation.projections.runner import CatchUpReport, Projector
from renovation.projections.tracking import ViewTrackingRecorder


@contextmanager
def open_projector(settings: Settings, page_size: int | None = None) -> Iterator[Projector]:
    """The projector of the configured store into the configured read-model database."""
    app = RenovationApp(settings.db)
    db = open_database(settings.views_url())
    try:
        yield Projector(app, db, page_size=page_size) if page_size else Projector(app, db)
    finally:
        app.close()
        db.dispose()


__all__ = [
    "REGISTRY",
    "CatchUpReport",
    "Projection",
    "ProjectionGapError",
    "Projector",
    "TableSpec",
    "UnknownProjectionError",
    "ViewTrackingRecorder",
    "ViewsDatabase",
    "open_database",
    "open_projector",
    "projections",
]
