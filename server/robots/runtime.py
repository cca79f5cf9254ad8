"""Wiring of the robots into the app: the MCP server's backend, the service, start and stop."""

from __future__ import annotations

import logging

import httpx

from agents.runner import AgentRunner
from server.chat.hub import RunHub
from server.robots import catalogue_repository as catalogue
from server.robots.approvers import ApproverNames
from server.robots.artifacts import artifact_store
from server.robots.followup import DecisionReporter
from server.robots.jobs import JobExecutor, JobWatch
from server.robots.service import RobotsService
from server.settings import Settings
from tools.database import Pool
from tools.robots.catalogue import load_catalogue
from tools.robots.runners import LocalRunner, LocalRunnerSettings, UiPathRunner
from tools.tenant.directory import load_directory

logger = logging.getLogger(__name__)


def build_job_executor(
    settings: Settings, pool: Pool, watch: JobWatch, uipath_transport: httpx.AsyncBaseTransport | None = None
) -> JobExecutor:
    """The executor of the processes that run jobs (local and UiPath runners)."""
    local = LocalRunner(
        LocalRunnerSettings(
            tenant_url=settings.tenant_url,
            robot_key=settings.robots_tenant_key.get_secret_value(),
            tasks_dir=settings.robots_tasks_dir,
        )
    )
    uipath = UiPathRunner(settings.uipath, transport=uipath_transport)
    artifacts = artifact_store(settings.artifacts, pool)
    return JobExecutor(pool, local, uipath, settings.data_dir / "robots" / "jobs", watch, artifacts)


def build_robots_service(
    settings: Settings, pool: Pool, hub: RunHub, agents: AgentRunner, watch: JobWatch
) -> RobotsService:
    """The approvals service with its decision reporter (jobs are run by a worker)."""
    reporter = DecisionReporter(pool, hub, agents, watch)
    # On the embedded tenant its directory names approvers who have not signed in yet.
    directory = load_directory() if settings.embedded_identity else None
    names = ApproverNames(pool, directory, settings.role_groups)
    artifacts = artifact_store(settings.artifacts, pool)
    return RobotsService(pool, reporter, settings.robots_approval_ttl_minutes, artifacts, names)


async def seed_robot_catalogue(settings: Settings, pool: Pool) -> None:
    """Add the catalogue file's robots missing from the database (robots already there are kept)."""
    if not await catalogue.catalogue_ready(pool):
        return
    added = await catalogue.seed_catalogue(pool, load_catalogue(settings.robots_catalogue_file))
    logger.info("robots: %d added to the catalogue", added)
