"""重建 — rebuild a projection from the start of the log without readers seeing it half-built.

The projection is replayed into shadow tables (`rv_cases__g2`: the next generation), a page per
transaction, while readers keep using the live tables. Then ONE transaction applies what was
recorded meanwhile, drops the live tables, renames the shadows to the live names, stores the new
version and generation, and sets the tracking position to where the shadows stand (the one
place a position is set rather than advanced: the tables it describes are replaced with it).
Index names carry the generation, so the next rebuild's shadows never clash with them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import Notification, Tracking
from sqlalchemy import Table, select, update
from sqlalchemy.engine import Connection

from renovation.projections import tracking
from renovation.projections.base import Projection

if TYPE_CHECKING:
    from renovation.projections.runner import Projector


def rebuild_projection(projector: Projector, projection: Projection) -> int:
    """Rebuild `projection` into shadow tables and swap them in; returns the events applied."""
    db = projector.db
    generation = _generation(projector, projection) + 1
    shadows = {spec.name: spec.define(db.metadata, f"{spec.name}__g{generation}", generation)
               for spec in projection.specs}
    with db.writer.begin() as conn:
        for table in shadows.values():
            table.drop(conn, checkfirst=True)  # left by an interrupted rebuild
            table.create(conn)
    applied, position = 0, 0
    # Each page commits on its own: a long rebuild holds no long transaction.
    while page := _page(projector, projection, position):
        with db.writer.begin() as conn:
            applied += _apply(projector, projection, conn, shadows, page)
        position = page[-1].id
    head = projector.app.recorder.max_notification_id() or 0
    with db.writer.begin() as conn:
        while page := _page(projector, projection, position):
            applied += _apply(projector, projection, conn, shadows, page)
            position = page[-1].id
        _swap(projector, projection, conn, shadows, generation)
        tracking.reset(conn, projector.tracking, projection.name,
                       Tracking(projector.app.name, max(position, head)))
    for table in shadows.values():
        db.metadata.remove(table)
    return applied


def _generation(projector: Projector, projection: Projection) -> int:
    state = projector.state
    with projector.db.engine.connect() as conn:
        query = select(state.c.generation).where(state.c.projection == projection.name)
        return conn.execute(query).scalar_one_or_none() or 0


def _page(projector: Projector, projection: Projection, position: int) -> Sequence[Notification]:
    return projector.app.recorder.select_notifications(
        position, projector.page_size, topics=list(projection.topics), inclusive_of_start=False
    )


def _apply(
    projector: Projector, projection: Projection, conn: Connection, tables: dict[str, Table],
    page: Sequence[Notification],
) -> int:
    decode = projector.app.mapper.to_domain_event
    events: list[tuple[int, Any]] = [(n.id, decode(n)) for n in page]
    projection.apply(conn, tables, events)
    return len(events)


def _swap(
    projector: Projector, projection: Projection, conn: Connection, shadows: dict[str, Table],
    generation: int,
) -> None:
    db, state = projector.db, projector.state
    preparer = conn.dialect.identifier_preparer
    for live, shadow in shadows.items():
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {db.quote(live)}")
        renamed = preparer.quote(live)
        conn.exec_driver_sql(f"ALTER TABLE {db.quote(shadow.name)} RENAME TO {renamed}")
    values = {"version": projection.version, "generation": generation}
    changed = conn.execute(
        update(state).where(state.c.projection == projection.name).values(**values)
    )
    if changed.rowcount == 0:
        conn.execute(state.insert().values(projection=projection.name, **values))
