"""The store's schema: SQLAlchemy Core tables, a version table, and the upgrade steps between versions.

Part of the model, below the query layer (whose facets write their conditions over these tables,
:mod:`incidents.query.sql`) and the store (which reads and writes them).

One definition serves both back-ends. Positions are ``lon``/``lat`` in WGS 84 degrees; on
PostGIS a generated ``geom geometry(Point, 4326)`` column with a GiST index is added beside them.
Group names and analysis regions of an event have their own tables, so that a filter can ask
"any of these groups" with bound parameters; the events table keeps them too, as JSON lists,
so that loading reads one table. Nothing is ever deleted: every change is a row in
``revisions``, with the values before and after (JSON). An event added by an import has an
``add`` row without values: they are the event's row as stored, and every later change records
the values it replaced, so the values as added follow from the two (``Store.history``).

A store records its version in ``schema_version``; :func:`upgrade` runs the steps from that
version to :data:`VERSION` in one transaction, so an older store is upgraded on open, never dropped.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

metadata = sa.MetaData()


def _tracked() -> tuple[sa.Column, ...]:  # type: ignore[type-arg]
    """The columns of every row whose changes are revisions: its revision, who made it, when it was made and changed."""
    return (
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


schema_version = sa.Table("schema_version", metadata, sa.Column("version", sa.Integer, nullable=False))

datasets = sa.Table(
    "datasets",
    metadata,
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("source_file", sa.Text, nullable=False),
    sa.Column("sha256", sa.Text, nullable=False),
    sa.Column("format", sa.Text, nullable=False),
    sa.Column("accounting", sa.Text, nullable=False),  # JSON: the import's report, rejections and repairs
    sa.Column("status", sa.Text, nullable=False),  # active / removed
    *_tracked(),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("event_id", sa.Text, primary_key=True),
    sa.Column("dataset", sa.Text, sa.ForeignKey("datasets.name"), nullable=False),
    sa.Column("date_start", sa.Date, nullable=False),
    sa.Column("date_end", sa.Date, nullable=False),
    sa.Column("date_precision", sa.Text, nullable=False),
    sa.Column("date_best", sa.Date),  # added in version 5 (set on every write; an upgraded row gets its span's middle)
    sa.Column("event_type", sa.Text, nullable=False),
    sa.Column("location", sa.Text, nullable=False),
    sa.Column("lon", sa.Float, nullable=False),
    sa.Column("lat", sa.Float, nullable=False),
    sa.Column("geo_precision", sa.Text, nullable=False),
    sa.Column("admin1", sa.Text),
    sa.Column("admin2", sa.Text),
    sa.Column("fatalities", sa.Integer),
    sa.Column("fatalities_low", sa.Integer),
    sa.Column("fatalities_high", sa.Integer),
    sa.Column("injured", sa.Integer),  # added in version 4
    sa.Column("detained", sa.Integer),  # added in version 4
    sa.Column("reliability", sa.Text, nullable=False, server_default="F"),  # added in version 6 (as the file gave it)
    sa.Column("credibility", sa.Integer, nullable=False, server_default="6"),  # added in version 6
    sa.Column("excerpt", sa.Text, nullable=False),
    sa.Column("source_id", sa.Text, nullable=False),
    sa.Column("source_title", sa.Text, nullable=False),
    sa.Column("source_url", sa.Text),
    sa.Column("excerpt_start", sa.Integer),
    sa.Column("excerpt_end", sa.Integer),
    sa.Column("coding_note", sa.Text),
    # the groups (in order) and regions again, as JSON lists: read with the row, no join on loading
    sa.Column("actors", sa.Text, nullable=False),
    sa.Column("regions", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),  # candidate / accepted / rejected / removed
    *_tracked(),
)
sa.Index("events_date_start", events.c.date_start)
sa.Index("events_date_end", events.c.date_end)
sa.Index("events_dataset", events.c.dataset)
sa.Index("events_status", events.c.status)

event_actors = sa.Table(
    "event_actors",
    metadata,
    sa.Column("event_id", sa.Text, sa.ForeignKey("events.event_id"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("actor", sa.Text, nullable=False),
)
sa.Index("event_actors_actor", event_actors.c.actor)

event_regions = sa.Table(
    "event_regions",
    metadata,
    sa.Column("event_id", sa.Text, sa.ForeignKey("events.event_id"), primary_key=True),
    sa.Column("region", sa.Text, primary_key=True),
)
sa.Index("event_regions_region", event_regions.c.region)

revisions = sa.Table(
    "revisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("entity", sa.Text, nullable=False),  # event / document / dataset
    sa.Column("entity_id", sa.Text, nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("action", sa.Text, nullable=False),  # add / edit / remove / restore
    sa.Column("author", sa.Text, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("before", sa.Text),  # JSON, null for an addition
    sa.Column("after", sa.Text),  # JSON; null for an event's add by an import (see above)
)
sa.Index("revisions_entity", revisions.c.entity, revisions.c.entity_id, revisions.c.revision)

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("source_id", sa.Text, primary_key=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("sha256", sa.Text, nullable=False, unique=True),
    sa.Column("title", sa.Text),
    sa.Column("publisher", sa.Text),
    sa.Column("published", sa.Text),  # as the document states it: YYYY, YYYY-MM or YYYY-MM-DD
    sa.Column("url", sa.Text),
    sa.Column("language", sa.Text),
    sa.Column("obtained", sa.Text, nullable=False),  # how the text was obtained (pasted, extracted from PDF, ...)
    sa.Column("status", sa.Text, nullable=False),
    *_tracked(),
)

profiles = sa.Table(
    "profiles",
    metadata,
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("columns", sa.Text, nullable=False),  # JSON: {model field: the table's column}
    *_tracked(),
)

candidates = sa.Table(
    "candidates",
    metadata,
    sa.Column("candidate_id", sa.Text, primary_key=True),  # <source_id>:<number>
    sa.Column("source_id", sa.Text, sa.ForeignKey("documents.source_id"), nullable=False),
    sa.Column("rank", sa.Integer, nullable=False),  # the extractor's order (1 = main event); passages added after
    sa.Column("origin", sa.Text, nullable=False),  # extractor / passage (added by a reviewer from a selected passage)
    sa.Column("fields", sa.Text, nullable=False),  # JSON: the proposed event as a record (see incidents.model.records)
    sa.Column("evidence", sa.Text, nullable=False),  # JSON: {field: [start, end]} in the document's text
    sa.Column("event_id", sa.Text),  # the event it became, once accepted
    sa.Column("status", sa.Text, nullable=False),  # candidate / accepted / rejected
    *_tracked(),
)
sa.Index("candidates_source", candidates.c.source_id)

#: Analysts' grades, laid over the events' own when loading: a source's reliability (``kind`` ``source``, ``key`` its
#: ``source_id``) or an event's credibility (``event``, its ``event_id``); every change is a revision (entity ``grade``).
grades = sa.Table(
    "grades",
    metadata,
    sa.Column("kind", sa.Text, primary_key=True),
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("grade", sa.Text, nullable=False),
    *_tracked(),
)

#: Tables created by each schema version (version 1 had no documents, version 2 no column mappings,
#: version 3 no candidate events and no injured or detained counts).
_V1 = (schema_version, datasets, events, event_actors, event_regions, revisions)
_V2 = (documents,)
_V3 = (profiles,)
_V4 = (candidates,)
_V6 = (grades,)


def _create(tables: tuple[sa.Table, ...]) -> Callable[[sa.Connection], None]:
    def step(conn: sa.Connection) -> None:
        metadata.create_all(conn, tables=list(tables))
        if conn.dialect.name == "postgresql" and events in tables:
            conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS postgis"))
            conn.execute(
                sa.text(
                    "ALTER TABLE events ADD COLUMN geom geometry(Point, 4326) "
                    "GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED"
                )
            )
            conn.execute(sa.text("CREATE INDEX events_geom ON events USING GIST (geom)"))

    return step


def _counts_and_candidates(conn: sa.Connection) -> None:
    """Version 4: the events' ``injured`` and ``detained`` counts (present already in a store created at 4), and candidates."""
    present = set(conn.execute(sa.text("SELECT * FROM events WHERE 1 = 0")).keys())
    for name in ("injured", "detained"):
        if name not in present:
            conn.execute(sa.text(f"ALTER TABLE events ADD COLUMN {name} INTEGER"))
    metadata.create_all(conn, tables=list(_V4))


def _best_day(conn: sa.Connection) -> None:
    """Version 5: each event's best single day (present already in a store created at 5), as the middle of its span.

    Events stored before it got their day from no source: the middle of the span is what the model
    derives for them (:func:`incidents.model.schema.conform`), the day itself at day precision.
    """
    present = set(conn.execute(sa.text("SELECT * FROM events WHERE 1 = 0")).keys())
    if "date_best" in present:
        return
    conn.execute(sa.text("ALTER TABLE events ADD COLUMN date_best DATE"))
    if conn.dialect.name == "postgresql":
        middle = "date_start + (date_end - date_start) / 2"
    else:  # SQLite keeps dates as YYYY-MM-DD text
        middle = "date(julianday(date_start) + CAST((julianday(date_end) - julianday(date_start)) / 2 AS INTEGER))"
    conn.execute(sa.text(f"UPDATE events SET date_best = {middle}"))


def _grades(conn: sa.Connection) -> None:
    """Version 6: the events' grades as their files gave them (present already in a store created at 6), and analysts'."""
    present = set(conn.execute(sa.text("SELECT * FROM events WHERE 1 = 0")).keys())
    if "reliability" not in present:
        conn.execute(sa.text("ALTER TABLE events ADD COLUMN reliability TEXT NOT NULL DEFAULT 'F'"))
        conn.execute(sa.text("ALTER TABLE events ADD COLUMN credibility INTEGER NOT NULL DEFAULT 6"))
    metadata.create_all(conn, tables=list(_V6))


#: Step ``n`` upgrades a store at version ``n - 1`` (0: empty) to version ``n``.
STEPS: dict[int, Callable[[sa.Connection], None]] = {
    1: _create(_V1),
    2: _create(_V2),
    3: _create(_V3),
    4: _counts_and_candidates,
    5: _best_day,
    6: _grades,
}
VERSION = max(STEPS)


def current_version(conn: sa.Connection) -> int:
    """The store's schema version (0 for an empty database)."""
    if not sa.inspect(conn).has_table("schema_version"):
        return 0
    found = conn.execute(sa.select(schema_version.c.version)).scalar()
    return int(found or 0)


def upgrade(conn: sa.Connection, target: int = VERSION) -> tuple[int, int]:
    """Run the steps from the store's version up to ``target`` (in the caller's transaction).

    Returns the versions before and after. A store newer than this code is left alone.
    """
    before = current_version(conn)
    for n in range(before + 1, target + 1):
        STEPS[n](conn)
    if target > before:
        conn.execute(sa.delete(schema_version))
        conn.execute(sa.insert(schema_version).values(version=target))
    return before, max(before, target)
