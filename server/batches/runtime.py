"""Wiring of batch letters into a process: the service, the runner, and the `batch.run` work kind.

Launching (or resuming) a batch queues a `batch.run` item on the shared work queue (`server/work`);
whichever process does background work claims it (`ariane worker`, `ariane up`; never `ariane
serve`) and runs the batch under the item's lease. A worker checks the owner's token and reads the
gateway's policy itself (`worker_batches`), and sends the rows to the API's `/v1`
(`ARIANE_INTERNAL_API_URL`). A process that dies mid-batch leaves its item to be taken over (at once
on the same machine, else when the lease expires): the runner then finishes what was left — a row
claimed and never ended is finished from its recorded answer, or sent again under the same
`Idempotency-Key`, which the gateway answers from what it kept (and passes on to the upstream) — and
every row ends once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx

from server.auth.issuer import configured_issuer
from server.auth.oidc import TokenVerifier
from server.auth.schemas import User
from server.auth.service import Authenticator
from server.batches import repository, run_repository
from server.batches.policy import NameSource
from server.batches.recording import BatchAuditor
from server.batches.runner import BatchRunner, RunnerConfig
from server.batches.service import BatchService, Limits
from server.gateway.app import name_book
from server.gateway.decision import Catalogue
from server.gateway.policy_store import PolicyStore
from server.messages import MESSAGES
from server.registry.sealing import SecretBox
from server.settings import Settings
from server.work import Cache, CacheNotices, Notifications, WorkItem, WorkKind, WorkRegistry, enqueue
from tools.database import Pool
from tools.doctext.bounded import ReadingLimits
from tools.i18n import as_language

logger = logging.getLogger(__name__)
RUN_KIND = "batch.run"
RUN_ATTEMPTS = 10  # a batch outlives many restarts; each attempt resumes where the last one stopped


class QueuedRuns:
    """Batches run as work items: queued by any replica, run by the processes doing background work."""

    def __init__(self, runner: BatchRunner, retry_seconds: float) -> None:
        self.runner = runner
        self.retry_seconds = retry_seconds

    async def launch(self, batch_id: str) -> None:
        """Queue a run of the batch (after a launch or a resume)."""
        await enqueue(self.runner.pool, RUN_KIND, {"batch": batch_id}, max_attempts=RUN_ATTEMPTS)

    def work_kind(self) -> WorkKind:
        """Running again after a crash is what resuming means: rows that ended are never sent again."""
        return WorkKind(RUN_KIND, self.handle, rerun_safe=True, retry_seconds=self.retry_seconds)

    async def handle(self, item: WorkItem) -> dict[str, Any]:
        """Run the batch until it ends, pauses or fails; a takeover takes the dead holder's lease."""
        batch_id = str(item.payload["batch"])
        try:
            status = await self.runner.run(batch_id, take_over=item.attempts > 1)
        except Exception as exc:
            if item.attempts >= item.max_attempts:  # never loop: the batch says why it stopped
                found = await repository.get_batch(self.runner.pool, batch_id)
                language = as_language(found["language"] if found else None)
                reason = MESSAGES("batches.crashed", error=type(exc).__name__).render(language)
                await repository.set_status(
                    self.runner.pool, batch_id, "failed", expected=("running",), error=reason
                )
            raise
        return {"status": status}

    async def wait_idle(self) -> None:
        """Wait until no batch run is queued or running (tests, benchmarks, `ariane batch run`)."""
        while await run_repository.runs_left(self.runner.pool, RUN_KIND):
            await asyncio.sleep(0.05)

    async def close(self) -> None:
        """Close the runner's connections (running items are stopped by the worker)."""
        await self.runner.close()


async def gateway_catalogue(app: Any) -> Catalogue:
    """The gateway's catalogue in force (the policy version saved last)."""
    loaded = await app.state.gateway.store.current()
    catalogue: Catalogue = loaded.catalogue
    return catalogue


@asynccontextmanager
async def batches_running(
    settings: Settings,
    pool: Pool,
    *,
    authenticate: Callable[[str], Awaitable[User]],
    catalogue: Callable[[], Awaitable[Catalogue]],
    auditor: BatchAuditor | None,
    model_transport: httpx.AsyncBaseTransport | None,
    work: WorkRegistry | None,
    names: NameSource = lambda: None,
) -> AsyncIterator[tuple[BatchService, QueuedRuns]]:
    """The batch service and its runs; with `work`, this process runs batches too (`ariane up`).

    `names`: the gateway's name book, so that a row is classified as its `/v1` call will be (and,
    in the gateway's process, read once: the gateway finds the row's findings remembered).
    """
    secrets = SecretBox.from_settings(settings.registry_secret_key, settings.data_dir)
    config = RunnerConfig(
        base_url=settings.internal_url,
        transport=model_transport,
        max_attempts=settings.batch_max_attempts,
        backoff_seconds=settings.batch_retry_backoff_seconds,
        lease_seconds=settings.batch_lease_seconds,
    )
    runner = BatchRunner(pool, secrets, authenticate, catalogue, auditor, config, names)
    runs = QueuedRuns(runner, settings.batch_retry_backoff_seconds)
    limits = Limits(
        settings.batch_max_upload_bytes,
        settings.batch_max_rows,
        settings.batch_concurrency,
        ReadingLimits.of(settings.reading),
    )
    service = BatchService(pool, limits, catalogue, secrets, runs.launch, lambda: auditor, names)
    if work is not None:
        work.add_kind(runs.work_kind())
    try:
        yield service, runs
    finally:
        await runs.close()


def policy_store(settings: Settings, pool: Pool, notifications: Notifications | None) -> PolicyStore:
    """The gateway's policy as a process without a gateway reads it (kept fresh by cache notices)."""
    store = PolicyStore(
        pool,
        settings.gateway_policy_file,
        settings.gateway_upstreams,
        settings.gateway_policy_refresh_seconds,
    )
    CacheNotices(notifications).on(Cache.POLICY, store.expire)
    return store


@asynccontextmanager
async def worker_batches(
    settings: Settings, pool: Pool, store: PolicyStore, auditor: BatchAuditor | None, work: WorkRegistry
) -> AsyncIterator[QueuedRuns]:
    """`ariane worker`'s batch runs: owners' tokens checked against the issuer, the policy from `store`.

    Rows are sent over HTTP to the API's gateway (`settings.internal_url`), as the owner.
    """
    await store.reload()
    names = await name_book(pool)  # what the API's gateway knows (the directory and users seen)

    async def catalogue() -> Catalogue:
        loaded = await store.current()
        return loaded.catalogue

    async with httpx.AsyncClient() as http:
        verifier = TokenVerifier(configured_issuer(settings), settings.oidc_audience, http)
        authenticator = Authenticator(verifier, pool, settings.role_groups)
        async with batches_running(
            settings,
            pool,
            authenticate=authenticator.authenticate,
            catalogue=catalogue,
            auditor=auditor,
            model_transport=None,
            work=work,
            names=lambda: names,
        ) as (_, runs):
            yield runs
