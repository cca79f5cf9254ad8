"""`ariane serve` and `ariane worker`: checks before they start, seeding at migration, signals."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable, Coroutine
from typing import Any

from server.settings import Settings
from tools.database import DatabaseUnavailableError


class SharedDatabaseError(RuntimeError):
    """A process that shares the database was started without one, or on one not migrated yet."""


def require_shared_database(settings: Settings, command: str) -> str:
    """The `DATABASE_URL` of a replica, checked to be at a revision this code runs on.

    Raises:
        SharedDatabaseError: no `DATABASE_URL` (only `ariane up` embeds a database), no shared
            registry or anchor key (or an anchor key that is not Ed25519), or a database
            that was never migrated, is behind this code, or was migrated past what it runs on.
        DatabaseUnavailableError: the database cannot be reached.
    """
    from server.migrations import database_compatibility, head_revision

    if settings.database_url is None:
        raise SharedDatabaseError(
            f"`ariane {command}` needs DATABASE_URL (the PostgreSQL every replica shares); "
            "only `ariane up` starts an embedded database"
        )
    missing = [
        name
        for name, value in (
            ("ARIANE_REGISTRY_SECRET_KEY", settings.registry_secret_key),
            ("ARIANE_AUDIT_ANCHOR_KEY", settings.audit_anchor_key),
        )
        if value is None or not value.get_secret_value()
    ]
    if missing:
        raise SharedDatabaseError(
            f"`ariane {command}` needs {' and '.join(missing)}: every replica must seal tool secrets and "
            "sign the audit with the same keys (a key file per replica would not open or verify elsewhere)"
        )
    if settings.audit_anchor_key is not None:  # checked now, not at the first anchor an hour later
        from server.audit.anchors import AnchorKeyError, load_anchor_key

        try:
            load_anchor_key(settings.audit_anchor_key.get_secret_value().encode())
        except AnchorKeyError as exc:
            raise SharedDatabaseError(str(exc)) from exc
    url = settings.database_url.get_secret_value()
    try:
        revision, standing = database_compatibility(url)
    except Exception as exc:  # SQLAlchemy/psycopg connection errors: report them in one line
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DatabaseUnavailableError(f"PostgreSQL cannot be reached: {first}") from exc
    if standing == "behind":
        raise SharedDatabaseError(
            f"the database is at revision {revision or 'none'}, this code needs {head_revision()}: "
            "run `ariane db migrate` first"
        )
    if standing == "ahead":
        raise SharedDatabaseError(
            f"the database is at revision {revision}, migrated for a newer release this code "
            f"({head_revision()}) cannot run on: deploy that release"
        )
    return url


async def seed_shared_data(settings: Settings) -> None:
    """What `ariane db migrate` adds besides the schema: the robot catalogue's new robots."""
    from server.robots.runtime import seed_robot_catalogue
    from tools.database import open_pool

    assert settings.database_url is not None
    pool = await open_pool(settings.database_url.get_secret_value(), max_size=1)
    try:
        await seed_robot_catalogue(settings, pool)
    finally:
        await pool.close()


async def run_until_signal(main: Callable[[asyncio.Event, asyncio.Event], Coroutine[Any, Any, None]],
                           on_ready: Callable[[], None]) -> None:  # fmt: skip
    """Run `main(stop, ready)` until SIGINT or SIGTERM sets `stop`; call `on_ready` once `ready` is set."""
    loop = asyncio.get_running_loop()
    stop, ready = asyncio.Event(), asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    task: asyncio.Task[None] = asyncio.create_task(main(stop, ready))
    try:
        waiting = asyncio.create_task(ready.wait())
        await asyncio.wait({task, waiting}, return_when=asyncio.FIRST_COMPLETED)
        waiting.cancel()
        if ready.is_set():
            on_ready()
        await task
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
