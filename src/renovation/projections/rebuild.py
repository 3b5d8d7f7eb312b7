"""重建 — rebuild a projection from the start of the log without readers seeing it half-built.

The projection is replayed into shadow tables (`rv_cases__g2`: the next generation), a page per
transaction, while readers keep using the live tables. Then ONE transaction applies what was
recorded meanwhile, drops the live tables, renames the shadows to the live names, stores the new
version and generation, and sets the tracking position to where the shadows stand (the one
place a position is set rather than advanced: the tables it describes are replaced with it).
Index names carry the generation, so the next rebuild's shadows never clash with them.
Several projections rebuilt together share one pass over the log and swap in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import Notification, Tracking
from sqlalchemy import Table, select, update
from sqlalchemy.engine import Connection

from renovation.gc_tuning import fewer_collections
from renovation.projections import tracking
from renovation.projections.base import Projection

if TYPE_CHECKING:
    from renovation.projections.runner import Projector

Progress = Callable[[int, int], None]  # (position reached, head of the log)


def rebuild_projection(projector: Projector, projection: Projection) -> int:
    """Rebuild `projection` into shadow tables and swap them in; returns the events applied."""
    return rebuild_projections(projector, [projection])[projection.name]


def rebuild_projections(projector: Projector, chosen: Sequence[Projection],
                        on_progress: Progress | None = None) -> dict[str, int]:
    """Rebuild several projections in ONE pass over the log and swap them in together.

    Each page is read and decoded once and applied to every projection's shadows: a full
    rebuild costs one replay of the log, not one per read model.
    """
    with fewer_collections():
        return _rebuild(projector, chosen, on_progress)


def _rebuild(projector: Projector, chosen: Sequence[Projection],
             on_progress: Progress | None) -> dict[str, int]:
    db = projector.db
    shadows = {p.name: _shadows(projector, p) for p in chosen}
    with db.writer.begin() as conn:
        for tables in shadows.values():
            for table in tables[1].values():
                table.drop(conn, checkfirst=True)  # left by an interrupted rebuild
                table.create(conn)
    applied = dict.fromkeys(shadows, 0)
    topics = topics_of(chosen)
    position = 0
    total = projector.app.recorder.max_notification_id() or 0
    # Each page commits on its own: a long rebuild holds no long transaction.
    while page := read_page(projector, topics, position):
        with db.writer.begin() as conn:
            apply_page(projector, chosen, conn, shadows, page, applied)
        position = page[-1].id
        if on_progress:
            on_progress(position, max(total, position))
    head = projector.app.recorder.max_notification_id() or 0
    if on_progress:
        on_progress(max(position, head), max(position, head))
    with db.writer.begin() as conn:
        while page := read_page(projector, topics, position):
            apply_page(projector, chosen, conn, shadows, page, applied)
            position = page[-1].id
        for projection in chosen:
            generation, tables = shadows[projection.name]
            _swap(projector, projection, conn, tables, generation)
            tracking.reset(conn, projector.tracking, projection.name,
                           Tracking(projector.app.name, max(position, head)))
    for _, tables in shadows.values():
        for table in tables.values():
            db.metadata.remove(table)
    return applied


def _shadows(projector: Projector, projection: Projection) -> tuple[int, dict[str, Table]]:
    generation = _generation(projector, projection) + 1
    return generation, {
        spec.name: spec.define(projector.db.metadata, f"{spec.name}__g{generation}", generation)
        for spec in projection.specs
    }


def topics_of(chosen: Sequence[Projection]) -> list[str]:
    """The topics to read: their union, or every topic when one projection reads them all."""
    if any(not p.topics for p in chosen):
        return []
    return sorted({t for p in chosen for t in p.topics})


def _generation(projector: Projector, projection: Projection) -> int:
    state = projector.state
    with projector.db.engine.connect() as conn:
        query = select(state.c.generation).where(state.c.projection == projection.name)
        return conn.execute(query).scalar_one_or_none() or 0


def read_page(projector: Projector, topics: list[str], position: int) -> Sequence[Notification]:
    return projector.app.recorder.select_notifications(
        position, projector.page_size, topics=topics, inclusive_of_start=False
    )


def apply_page(
    projector: Projector, chosen: Sequence[Projection], conn: Connection,
    shadows: dict[str, tuple[int, dict[str, Table]]], page: Sequence[Notification],
    applied: dict[str, int],
) -> None:
    decode = projector.app.mapper.to_domain_event
    decoded: list[tuple[int, str, Any]] = [(n.id, n.topic, decode(n)) for n in page]
    for projection in chosen:
        wanted = frozenset(projection.topics)
        events = [(i, e) for i, topic, e in decoded if not wanted or topic in wanted]
        if events:
            projection.apply(conn, shadows[projection.name][1], events)
        applied[projection.name] += len(events)


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
