"""Wiring of automations into a process: the runner (rounds, firing) and the service of the API."""

from __future__ import annotations

from typing import TYPE_CHECKING

from server.automations.mailer import AutomationMail
from server.automations.reading import ModelReader
from server.automations.runner import AutomationRunner, Clock, now_utc
from server.automations.service import AutomationsService
from server.robots.approvers import ApproverNames
from server.settings import Settings
from tools.database import Pool
from tools.tenant.directory import load_directory

if TYPE_CHECKING:
    from tools.m365 import GraphAccess


def build_automations(
    settings: Settings, pool: Pool, graph: GraphAccess | None, clock: Clock = now_utc
) -> tuple[AutomationRunner, AutomationsService]:
    """The runner and the service over the process's pool and Graph access (app-only mail)."""
    directory = load_directory() if settings.embedded_identity else None
    names = ApproverNames(pool, directory, settings.role_groups)
    mail = AutomationMail(graph) if graph is not None else None
    runner = AutomationRunner(
        pool, settings.automations, mail, names, settings.robots_approval_ttl_minutes, clock
    )
    key = settings.automations.model_key
    if key is not None:  # the process's own gateway, as the agents and the batches reach it
        runner.reader = ModelReader(settings.internal_url, key)
    service = AutomationsService(
        pool, runner, settings.automations.timezone, settings.automations.notifications_per_minute
    )
    return runner, service
