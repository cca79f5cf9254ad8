"""The embedded PostgreSQL listening on a loopback TCP port (replicas as separate processes reach it so)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def postgres_over_tcp(folder: Path) -> Iterator[str]:
    """A fresh server in `folder` on 127.0.0.1; yields the URL of its `postgres` database."""
    import pgserver
    from pgserver._commands import pg_ctl

    server = pgserver.get_server(folder, cleanup_mode="stop")  # initdb, started on a Unix socket
    user = server.system_user
    server.cleanup()  # stopped, to start again on TCP
    port = free_port()
    options = ["-o", f"-h 127.0.0.1 -p {port} -k {folder}", "-l", str(folder / "tcp.log")]
    pg_ctl(["-w", *options, "start"], pgdata=folder, user=user, timeout=60)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=folder, user=user, timeout=60)
