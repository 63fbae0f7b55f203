"""A throwaway PostgreSQL cluster with PostGIS, for the store's tests.

Started from Debian's packages (``apt-get install -y postgresql postgis``) as the ``postgres``
user, with its data in a temporary directory, on a free local port; stopped and removed at the
end. ``INCIDENT_TEST_POSTGRES`` (a ``postgresql://`` URL of a server with PostGIS) uses that
server instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.browser import free_port

BIN = Path("/usr/lib/postgresql/15/bin")
ENV = "INCIDENT_TEST_POSTGRES"


def _as_postgres(*cmd: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    run = list(cmd) if os.geteuid() != 0 else ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(run, check=check, capture_output=True, text=True, timeout=120)


@contextmanager
def postgis_server() -> Iterator[str]:
    """Yield the URL of an empty database with the PostGIS extension."""
    if os.environ.get(ENV):
        yield os.environ[ENV]
        return
    if not (BIN / "initdb").is_file():
        raise RuntimeError(f"PostgreSQL 15 is not installed ({BIN}): apt-get install -y postgresql postgis")
    if not list(Path("/usr/share/postgresql/15/extension").glob("postgis.control")):
        raise RuntimeError("PostGIS is not installed: apt-get install -y postgis")
    tmp = Path(tempfile.mkdtemp(prefix="incidents-pg-"))
    data, sock = tmp / "data", tmp / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres")
        shutil.chown(sock, "postgres")
    port = free_port()
    try:
        _as_postgres(
            str(BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"
        )
        options = f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        _as_postgres(str(BIN / "pg_ctl"), "-D", str(data), "-l", str(tmp / "log"), "-o", options, "-w", "start")
        psql = [str(BIN / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-v", "ON_ERROR_STOP=1"]
        _as_postgres(*psql, "-c", "CREATE DATABASE incidents_test")
        _as_postgres(*psql, "-d", "incidents_test", "-c", "CREATE EXTENSION postgis")
        yield f"postgresql://postgres:secret@127.0.0.1:{port}/incidents_test"
    finally:
        _as_postgres(str(BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop", check=False)
        shutil.rmtree(tmp, ignore_errors=True)


def reset(url: str) -> None:
    """Drop every table of the store at ``url`` (a fresh store for the next test)."""
    import sqlalchemy as sa

    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "DROP TABLE IF EXISTS revisions, event_actors, event_regions, events, candidates, documents, profiles, datasets, "
                "schema_version CASCADE"
            )
        )
    engine.dispose()
