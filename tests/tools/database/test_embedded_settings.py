"""The embedded PostgreSQL starts with Ariane's buffer cache size, from its first start on."""

from __future__ import annotations

from pathlib import Path

import psycopg

from tools.database import EmbeddedPostgres


def _shared_buffers(url: str) -> str:
    with psycopg.connect(url) as conn:
        row = conn.execute("SHOW shared_buffers").fetchone()
    assert row is not None
    return str(row[0])


def test_the_buffer_cache_is_ours_from_the_first_start_and_after_a_change(tmp_path: Path) -> None:
    data = tmp_path / "postgres"
    with EmbeddedPostgres(data, shared_buffers_mb=24) as url:
        assert _shared_buffers(url) == "24MB"  # initdb's own configuration was not left in force
    with EmbeddedPostgres(data, shared_buffers_mb=40) as url:
        assert _shared_buffers(url) == "40MB"
    configuration = (data / "postgresql.conf").read_text(encoding="utf-8")
    assert configuration.count("include_if_exists = 'ariane.conf'") == 1  # not appended at each start


def test_without_a_size_postgresql_keeps_its_own_default(tmp_path: Path) -> None:
    with EmbeddedPostgres(tmp_path / "postgres") as url:
        assert _shared_buffers(url) == "128MB"
    assert not (tmp_path / "postgres" / "ariane.conf").exists()
