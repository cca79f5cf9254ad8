"""Wiring of the intake into a process: the DPI adapter, the steps as work, the scanner's drop folder."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from server.errors import ApiError
from server.intake.dpi import HttpDpi
from server.intake.pipeline import IntakePipeline
from server.intake.service import IntakeService
from server.intake.settings import IntakeSettings
from server.work import PeriodicTask, WorkRegistry
from tools.database import Pool

logger = logging.getLogger(__name__)
DROP_TASK = "intake.drop_folder"


def build_intake(
    settings: IntakeSettings, pool: Pool, tenant_url: str, transport: httpx.AsyncBaseTransport | None = None
) -> tuple[IntakeService, HttpDpi]:
    """The service and its DPI client (the sample DPI of the local tenant unless `dpi_url` is set)."""
    dpi = HttpDpi(
        settings.dpi_url or tenant_url,
        settings.dpi_key.get_secret_value(),
        settings.dpi_timeout_seconds,
        transport=transport,
    )
    holder: dict[str, IntakeService] = {}

    async def threshold() -> float:
        return await holder["service"].threshold_value()

    pipeline = IntakePipeline(pool, settings, dpi, threshold)
    holder["service"] = IntakeService(pool, settings, dpi, pipeline)
    return holder["service"], dpi


async def sweep_drop_folder(service: IntakeService, folder: Path) -> int:
    """Import every file in the scanner's folder, then move it to `importés/` (or `refusés/`)."""
    taken = 0
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name.startswith("."):
            continue
        claimed = path.with_name(f".{path.name}.import")
        try:
            path.rename(claimed)  # atomic: one replica takes the file, the others no longer see it
        except FileNotFoundError:
            continue
        target = "importés"
        try:
            await service.take_in(path.name, claimed.read_bytes(), "folder", None)
            taken += 1
        except ApiError as exc:
            logger.warning("intake: drop folder file %s refused: %s", path.name, exc.detail)
            target = "refusés"
        (folder / target).mkdir(exist_ok=True)
        claimed.rename(folder / target / path.name)
    return taken


def register_intake(work: WorkRegistry, service: IntakeService, settings: IntakeSettings) -> None:
    """Let this process run the intake's steps and, when a scanner's folder is set, import from it.

    Registered by the processes that do background work (`ariane worker`, `ariane up`): an API replica
    (`ariane serve`) only stores scans and queues their first step.
    """
    work.add_kind(service.pipeline.work_kind())
    folder = settings.drop_dir
    if folder is not None:

        async def sweep() -> None:
            folder.mkdir(parents=True, exist_ok=True)
            await sweep_drop_folder(service, folder)

        work.add_periodic(PeriodicTask(DROP_TASK, settings.poll_seconds, sweep))


@asynccontextmanager
async def dpi_open(dpi: HttpDpi) -> AsyncIterator[None]:
    """Close the DPI client's connections when the process stops."""
    try:
        yield
    finally:
        await dpi.close()
