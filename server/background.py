"""Background work of each process, and `ariane worker`: the process that only does background work.

`ariane worker` runs robot jobs, batch letters, the intake's steps (and its scanner folder),
automations (mail triggers, schedules), the registry's health checks, the audit retention and the
queue's own upkeep; `ariane serve` only sweeps approvals and reports decisions (that needs the chat
runs it hosts); `ariane up` does all of it in one process.
Each registers what it can do; the queue in PostgreSQL shares the work out.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from server.audit.launch_recording import LaunchAuditor
from server.audit.retention_task import retention_task
from server.audit.runtime import anchor_book, audit_runtime
from server.automations.runner import register_automations
from server.automations.runtime import build_automations
from server.batches.recording import BatchAuditor
from server.batches.runtime import policy_store, worker_batches
from server.chat.recovery import interrupt_orphaned_runs, recovery_task
from server.chat.repository import RUN_EVENTS_CHANNEL, RUN_STOP_CHANNEL
from server.gateway import repository as gateway_repository
from server.gateway.errors import PolicyUnavailableError
from server.governance.alerting import AlertMailer, GraphSource, app_graph
from server.governance.drift import DriftService
from server.governance.runtime import build_drift
from server.governance.work import register_governance_work
from server.intake.runtime import build_intake, dpi_open, register_intake
from server.limits import repository as limits
from server.registry.health import health_task
from server.registry.service import RegistryService
from server.registry.setup import registry_runtime
from server.robots.artifacts import artifact_retention_task, artifact_store
from server.robots.jobs import JobExecutor, JobWatch
from server.robots.repository import JOBS_CHANNEL
from server.robots.runtime import build_job_executor
from server.robots.work import register_job_runner
from server.settings import Settings
from server.work import (
    CACHE_CHANNEL,
    WORK_CHANNEL,
    Notifications,
    PeriodicTask,
    Presence,
    Worker,
    WorkerConfig,
    WorkRegistry,
)
from server.work import repository as work_repository
from tools.database import Pool, open_pool

if TYPE_CHECKING:
    from tools.m365 import GraphAccess

logger = logging.getLogger(__name__)
CHANNELS: tuple[str, ...] = (WORK_CHANNEL, JOBS_CHANNEL, RUN_EVENTS_CHANNEL, RUN_STOP_CHANNEL, CACHE_CHANNEL)
MAINTENANCE_SECONDS = 3600.0
RATE_WINDOWS_KEPT_SECONDS = 3600.0
IDEMPOTENCY_KEYS_KEPT_SECONDS = 2 * 86400.0  # a row is sent again within minutes of a crash, not days


def worker_config(settings: Settings) -> WorkerConfig:
    """The worker loop's settings."""
    return WorkerConfig(
        concurrency=settings.work_concurrency,
        lease_seconds=settings.work_lease_seconds,
        heartbeat_seconds=settings.work_heartbeat_seconds,
        idle_seconds=settings.work_idle_seconds,
    )


def worker_graph(settings: Settings) -> GraphAccess:
    """Graph access of `ariane worker` (mail triggers read and send as the application)."""
    from tools.m365 import GraphAccess
    from tools.mcp_common.hosting import embedded_m365_settings

    return GraphAccess(embedded_m365_settings(settings.tenant_url))


def maintenance_task(pool: Pool, settings: Settings) -> PeriodicTask:
    """The hourly upkeep: silent processes, old work items, rate-limit calls, old idempotency keys.

    Processes silent for long are forgotten (their leases have expired anyway).
    """

    async def run() -> None:
        gone = await work_repository.forget_silent_processes(pool, settings.work_lease_seconds * 10)
        pruned = await work_repository.prune_finished(pool, settings.work_keep_days)
        calls = await limits.prune(pool, RATE_WINDOWS_KEPT_SECONDS)
        async with pool.connection() as conn:
            keys = await gateway_repository.prune_idempotency(conn, IDEMPOTENCY_KEYS_KEPT_SECONDS)
        logger.info(
            "upkeep: %d silent processes forgotten, %d finished work items, %d rate-limit calls, "
            "%d idempotency keys pruned",
            len(gone), pruned, calls, keys,
        )  # fmt: skip

    return PeriodicTask("work.maintenance", MAINTENANCE_SECONDS, run, first_delay=60.0)


def worker_registry(
    settings: Settings,
    pool: Pool,
    executor: JobExecutor,
    registry: RegistryService,
    drift: DriftService | None = None,
    mail_graph: GraphSource | None = None,
) -> WorkRegistry:
    """What a process that does background work carries out (`ariane worker`, `ariane up`).

    `mail_graph` is the Graph access alert mails go through (`ariane up`: the app's own; by default one
    per mail, on the `ARIANE_M365_*` settings).
    """
    work = WorkRegistry()
    register_job_runner(work, pool, executor)
    mailer = AlertMailer(
        pool, settings.governance.alert_sender, settings.base_url, mail_graph or _mail_graph(settings)
    )
    register_governance_work(work, pool, settings.governance, drift or build_drift(settings, pool), mailer)
    tasks = (
        health_task(registry, settings.registry_health_interval_seconds),
        retention_task(pool, anchor_book(settings, pool), settings.audit_retention_days),
        maintenance_task(pool, settings),
        artifact_retention_task(
            pool, artifact_store(settings.artifacts, pool), settings.artifacts.retention_days
        ),
    )
    for task in tasks:
        if task is not None:
            work.add_periodic(task)
    return work


def _mail_graph(settings: Settings) -> GraphSource:
    from tools.mcp_common.hosting import embedded_m365_settings

    return app_graph(embedded_m365_settings(settings.tenant_url))


def common_registry(settings: Settings, pool: Pool, work: WorkRegistry) -> WorkRegistry:
    """Add what every process takes part in (closing the runs of dead replicas)."""
    work.add_periodic(recovery_task(pool, settings.work_lease_seconds))
    return work


@asynccontextmanager
async def working(
    settings: Settings,
    pool: Pool,
    work: WorkRegistry,
    presence: Presence,
    notifications: Notifications | None,
) -> AsyncIterator[Worker | None]:
    """Run the worker loop of this process while the block runs (None on a database never migrated).

    At start, the work and runs of dead processes are taken over (on this machine at once, elsewhere
    once their leases have expired); only then does the process serve.
    """
    if not await work_repository.queue_ready(pool):  # never migrated: /readyz says so, nothing to do
        logger.warning("the database has no work queue yet: run `ariane db migrate`")
        yield None
        return
    worker = Worker(
        pool, common_registry(settings, pool, work), presence, notifications, worker_config(settings)
    )
    await worker.start()
    await interrupt_orphaned_runs(pool, settings.work_lease_seconds)
    try:
        yield worker
    finally:
        await worker.close()


async def run_worker(settings: Settings, stop: asyncio.Event, on_ready: asyncio.Event | None = None) -> None:
    """`ariane worker` until `stop` is set: the database must be reachable and migrated."""
    assert settings.database_url is not None
    url = settings.database_url.get_secret_value()
    pool = await open_pool(url, max_size=settings.db_pool_max)
    notifications = Notifications(url, CHANNELS)
    graph: GraphAccess | None = None
    try:
        await notifications.start()

        store = policy_store(settings, pool, notifications)

        async def policy_version() -> int | None:
            try:
                return int((await store.current()).version)
            except PolicyUnavailableError:  # no policy in force: the run records none
                return None

        async with audit_runtime(
            settings, pool, tool_servers={}, policy_version=policy_version, model_transport=None
        ) as audit:
            registry = registry_runtime(settings, pool, {}).registry
            executor = build_job_executor(settings, pool, JobWatch(notifications))
            work = worker_registry(settings, pool, executor, registry)
            intake, dpi = build_intake(settings.intake, pool, settings.tenant_url)
            register_intake(work, intake, settings.intake)
            graph = worker_graph(settings)
            automations = build_automations(settings, pool, graph)[0]
            if audit.auditor is not None:  # the firings this worker carries, in the trail as on `serve`
                automations.auditor = LaunchAuditor(audit.auditor)
            register_automations(work, automations, settings.automations)
            presence = Presence.of_this_process("worker")
            auditor = BatchAuditor(audit.auditor) if audit.auditor else None
            async with (
                dpi_open(dpi),
                worker_batches(settings, pool, store, auditor, work),
                working(settings, pool, work, presence, notifications),
            ):
                if on_ready is not None:
                    on_ready.set()
                await stop.wait()
    finally:
        if graph is not None:
            await graph.aclose()
        await notifications.close()
        await pool.close()
