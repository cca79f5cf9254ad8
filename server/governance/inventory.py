"""What Ariane knows of its AI systems, read live from its own tables and the policy in force.

Nothing here is copied into governance's tables: the map is rebuilt from the assistants, the model
catalogue, the tool registry, the robots, the intake and batch modules and the proxy-log reports at
each read, so it stays current without anyone keeping it so.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from agents.routing import ROUTABLE, Workflow
from server.assistants import repository as assistants_repository
from server.gateway.policy import DataClass, Hosting, ModelKind, Policy, hosting_text
from server.governance import repository
from server.governance.schemas import System, SystemKind, Usage
from server.governance.shadow.schemas import ServiceUse
from server.messages import MESSAGES
from tools.database import Pool
from tools.i18n import Language

# The names and labels below are rendered in the reader's language; ids, keys and codes never are.


def _workflow_name(workflow: Workflow, language: Language) -> str:
    key = f"governance.workflow.{workflow.value}"
    return MESSAGES.text(key, language) if key in MESSAGES.entries else workflow.value


def _hosting_label(hosting: Hosting, language: Language) -> str:
    return hosting_text(hosting).render(language)


_COUNTRY_NAMES = {"FR": "France", "US": "États-Unis", "DE": "Allemagne", "CN": "Chine", "GB": "Royaume-Uni"}


def _usage(rows: list[dict[str, Any]], language: Language) -> dict[str, Usage]:
    usage: dict[str, Usage] = defaultdict(Usage)
    for row in rows:
        entry = usage[str(row["system"])]
        entry.requests += int(row["requests"])
        entry.people += int(row["people"])  # people of different services are different people
        service = row["service"] or MESSAGES.text("governance.unset_service", language)
        category = row["job_category"] or MESSAGES.text("governance.unset_job_category", language)
        entry.by_service[service] = entry.by_service.get(service, 0) + int(row["requests"])
        entry.by_job_category[category] = entry.by_job_category.get(category, 0) + int(row["requests"])
    return usage


def _hosting(policy: Policy | None, models: list[str], language: Language) -> list[str]:
    if policy is None:
        return []
    known = {model.id: model for model in policy.models}
    return sorted({_hosting_label(known[name].hosting, language) for name in models if name in known})


def _assistant_models(policy: Policy | None, row: dict[str, Any]) -> list[str]:
    if row["models"]:
        return list(row["models"])
    if policy is None:
        return []
    rank = DataClass(row["data_class"]).rank
    return [
        model.id
        for model in policy.models
        if model.kind is ModelKind.CHAT and any(c.rank >= rank for c in model.data_classes)
    ]


async def assistants(pool: Pool, policy: Policy | None, language: Language) -> list[System]:
    """Each assistant in use (not archived)."""
    usage = _usage(await repository.assistant_usage(pool), language)
    found = []
    for row in await assistants_repository.list_current(pool):
        models = _assistant_models(policy, row)
        found.append(
            System(
                id=f"assistant:{row['id']}",
                kind=SystemKind.ASSISTANT,
                name=row["name"],
                description=row["description"],
                source="Assistants",
                data_classes=[row["data_class"]],
                models=models,
                tools=list(row["tools"]),
                hosting=_hosting(policy, models, language),
                roles=list(row["audience_roles"]) or ["staff"],
                services=list(row["audience_services"]),
                facts={
                    "version": row["version"],
                    "builtin": row["builtin"],
                    "workflows": list(row["workflows"]),
                    "knowledge": row["knowledge"],
                    "author": row["author_email"] or "Ariane",
                    "models_declared": bool(row["models"]),
                },
                usage=usage.get(row["id"], Usage()),
            )
        )
    return found


def workflows(policy: Policy | None, assistant_systems: list[System], language: Language) -> list[System]:
    """Each workflow that calls a model (every routable one may, and falls back without)."""
    chat_models = [m.id for m in policy.models if m.kind is ModelKind.CHAT] if policy else []
    found = []
    for workflow in ROUTABLE:
        users = [s.id.split(":", 1)[1] for s in assistant_systems if workflow.value in s.facts["workflows"]]
        found.append(
            System(
                id=f"workflow:{workflow.value}",
                kind=SystemKind.WORKFLOW,
                name=_workflow_name(workflow, language),
                description=MESSAGES.text("governance.workflow_description", language),
                source="Workflows (agents/)",
                models=chat_models,
                hosting=_hosting(policy, chat_models, language),
                facts={"assistants": users, "fallback": "extractive"},
            )
        )
    return found


async def models(
    pool: Pool, policy: Policy | None, configured: frozenset[str], language: Language
) -> list[System]:
    """Each model of the catalogue in force."""
    if policy is None:
        return []
    usage = _usage(await repository.model_usage(pool), language)
    found = []
    for model in policy.models:
        roles = sorted({str(role) for rule in policy.rules if model.id in rule.models for role in rule.roles})
        found.append(
            System(
                id=f"model:{model.id}",
                kind=SystemKind.MODEL,
                name=model.label or model.id,
                description=f"{model.kind.value} · {model.upstream_name}",
                source=MESSAGES.text("governance.source.models", language),
                data_classes=[c.value for c in model.data_classes],
                hosting=[_hosting_label(model.hosting, language)],
                roles=roles or [MESSAGES.text("governance.no_rule", language)],
                facts={
                    "provider": model.provider,
                    "kind": model.kind.value,
                    "configured": model.provider in configured,
                    "tools": model.capabilities.tools,
                },
                usage=usage.get(model.id, Usage()),
            )
        )
    return found


async def tool_servers(pool: Pool, language: Language) -> list[System]:
    """Each registered tool server."""
    return [
        System(
            id=f"tool:{row['name']}",
            kind=SystemKind.TOOL,
            name=row["name"],
            description=str((row["server_info"] or {}).get("name", "")),
            source=MESSAGES.text("governance.source.tools", language),
            hosting=[_hosting_label(Hosting.ON_PREM, language)]
            if row["transport"] == "builtin"
            else [row["transport"]],
            facts={
                "transport": row["transport"],
                "registry_status": row["status"],
                "registered_by": row["registered_by"],
                "approved_by": row["approved_by"],
                "tools": row["tools"],
            },
        )
        for row in await repository.tool_servers(pool)
    ]


async def robots(pool: Pool, using_ai: dict[str, str], language: Language) -> list[System]:
    """Each robot that uses AI."""
    found = []
    for row in await repository.robots(pool):
        if row["id"] not in using_ai:
            continue
        spec = row["spec"]
        found.append(
            System(
                id=f"robot:{row['id']}",
                kind=SystemKind.ROBOT,
                name=spec.get("name", row["id"]),
                description=using_ai[row["id"]],
                source=MESSAGES.text("governance.source.robots", language),
                services=[spec.get("service", "")],
                roles=list(spec.get("requesters", {}).get("roles", [])),
                hosting=[
                    "UiPath Orchestrator"
                    if spec.get("runner") == "uipath"
                    else MESSAGES.text("governance.local_robot", language)
                ],
                facts={
                    "version": row["version"],
                    "runner": spec.get("runner"),
                    "catalogue_risk": spec.get("risk"),
                },
            )
        )
    return found


async def modules(pool: Pool, language: Language) -> list[System]:
    """Paper intake and batch letters, when their module is installed (their tables exist)."""
    found = []
    if await repository.table_exists(pool, "intake_documents"):
        found.append(
            System(
                id="intake:courrier-entrant",
                kind=SystemKind.INTAKE,
                name="Courrier entrant",
                description=MESSAGES.text("governance.intake_description", language),
                source=MESSAGES.text("governance.source.intake", language),
                data_classes=["health"],
                hosting=[_hosting_label(Hosting.ON_PREM, language)],
                roles=["health_data"],
            )
        )
    if await repository.table_exists(pool, "batches"):
        found.append(
            System(
                id="batch:courriers-en-serie",
                kind=SystemKind.BATCH,
                name="Courriers en série",
                description=MESSAGES.text("governance.batch_description", language),
                source=MESSAGES.text("governance.source.batches", language),
                roles=["staff"],
            )
        )
    return found


def externals(services: list[ServiceUse], report_name: str | None, language: Language) -> list[System]:
    """Public AI services seen in the newest proxy-log report."""
    return [
        System(
            id=f"external:{service.ai_service}",
            kind=SystemKind.EXTERNAL,
            name=service.name,
            description=MESSAGES.text("governance.external_description", language, provider=service.provider),
            source=MESSAGES.text("governance.source.proxy_report", language, report=report_name)
            if report_name
            else MESSAGES.text("governance.source.proxy", language),
            hosting=[_COUNTRY_NAMES.get(service.country, service.country)],
            facts={"provider": service.provider, "country": service.country, "kind": service.kind},
            usage=Usage(requests=service.requests, people=service.people),
        )
        for service in services
    ]
