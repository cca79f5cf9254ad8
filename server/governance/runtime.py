"""What governance needs in a process, built by the app's lifespan; the sample report of `ariane up`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from server.gateway.policy import Policy
from server.governance.drift import DriftService, ProgramEvaluator
from server.governance.service import PolicySource, SystemsService
from server.governance.settings import GovernanceSettings
from server.governance.shadow.parsing import LogFormat
from server.governance.shadow.service import ShadowService
from server.settings import Settings
from tools.database import Pool
from tools.m365.directory import DirectoryPerson

if TYPE_CHECKING:
    from tools.m365 import GraphAccess

logger = logging.getLogger(__name__)
SAMPLE_NAME = "Exemple — proxy du CHRU Exemple, novembre 2026"
SAMPLE_UPLOADER = "ariane (journal d'exemple)"
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class GovernanceRuntime:
    """Governance's collaborators in this process."""

    settings: GovernanceSettings
    shadow: ShadowService
    systems: SystemsService
    drift: DriftService
    graph: GraphAccess


def build_drift(settings: Settings, pool: Pool) -> DriftService:
    """Evaluation runs against this Ariane (its internal URL), by the `evals.live` program.

    On the embedded tenant the program mints its users' tokens with this tenant's identity provider:
    it is told where it runs and keeps its keys (ports and folders given on `ariane up`'s command
    line are not in the environment the program inherits).
    """
    args: tuple[str, ...] = ()
    if settings.embedded_identity:
        args = ("--tenant-host", settings.tenant_host, "--tenant-port", str(settings.tenant_port),
                "--data-dir", str(settings.data_dir))  # fmt: skip
    evaluator = ProgramEvaluator(settings.internal_url, settings.governance.eval_timeout_seconds, args)
    return DriftService(pool, settings.governance, evaluator)


def build_governance(
    settings: Settings, pool: Pool, graph: GraphAccess, policy: PolicySource
) -> GovernanceRuntime:
    """Governance's services over the app's pool, Graph access and the gateway's policy."""
    group = settings.governance
    shadow = ShadowService(pool, group.shadow_min_group, group.shadow_max_upload_bytes)
    systems = SystemsService(pool, group, policy, shadow)
    return GovernanceRuntime(group, shadow, systems, build_drift(settings, pool), graph)


def gateway_policy(state: object) -> PolicySource:
    """The policy in force of this process's gateway (None while it has none)."""

    async def current() -> tuple[Policy, frozenset[str]] | None:
        from server.gateway.errors import PolicyUnavailableError

        gateway = getattr(state, "gateway", None)
        if gateway is None:
            return None
        try:
            loaded = await gateway.store.current()
        except PolicyUnavailableError:
            return None
        return loaded.catalogue.policy, loaded.catalogue.configured

    return current


async def file_chunks(path: Path) -> AsyncIterator[bytes]:
    """A file read in chunks off the event loop."""
    with path.open("rb") as file:
        while chunk := await asyncio.to_thread(file.read, _CHUNK):
            yield chunk


def _tenant_people() -> list[DirectoryPerson]:
    from tools.tenant.directory import load_directory

    return [
        DirectoryPerson(
            display_name=user.display_name,
            mail=user.mail.lower(),
            principal_name=user.mail.lower(),
            account_name=user.account_name,
            department=user.department,
            job_category=user.job_category,
        )
        for user in load_directory().users
    ]


async def seed_sample_report(runtime: GovernanceRuntime, data_dir: Path) -> None:
    """On the embedded tenant, import its sample proxy log once, so that the page has a report to show.

    The directory join reads the tenant's own directory files: there is no user to act for at start.
    """
    if not runtime.settings.shadow_sample or await runtime.shadow.reports():
        return
    from tools.tenant.proxy_sample import write_sample_log

    path = await asyncio.to_thread(write_sample_log, data_dir / "governance")

    async def directory() -> list[DirectoryPerson]:
        return await asyncio.to_thread(_tenant_people)

    summary = await runtime.shadow.import_log(
        file_chunks(path),
        name=SAMPLE_NAME,
        log_format=LogFormat.SQUID,
        uploaded_by=SAMPLE_UPLOADER,
        directory=directory,
        sample=True,
    )
    logger.info("sample shadow-AI report: %d lines, %d to AI services", summary.lines, summary.ai_lines)
