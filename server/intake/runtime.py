"""Wiring of the intake into the app: the DPI adapter, the workers, the scanner's drop folder."""

from __future__ import annotations

import asyncio
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
from server.work.stopping import cancel_and_wait
from tools.database import Pool

logger = logging.getLogger(__name__)


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


@asynccontextmanager
async def intake_running(
    service: IntakeService, dpi: HttpDpi, settings: IntakeSettings
) -> AsyncIterator[None]:
    """Run the workers (and watch the drop folder) for the app's lifetime."""
    tasks = [asyncio.create_task(service.pipeline.run_forever()) for _ in range(settings.workers)]
    if settings.drop_dir is not None:
        settings.drop_dir.mkdir(parents=True, exist_ok=True)
        tasks.append(asyncio.create_task(_watch(service, settings.drop_dir, settings.poll_seconds)))
    try:
        yield
    finally:
        await cancel_and_wait(tasks)  # bounded: a cancellation swallowed by wait_for is sent again
        await dpi.close()


async def _watch(service: IntakeService, folder: Path, seconds: float) -> None:
    while True:
        try:
            await sweep_drop_folder(service, folder)
        except OSError:
            logger.exception("intake: drop folder %s unreadable", folder)
        await asyncio.sleep(seconds)
