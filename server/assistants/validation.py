"""Checks of an assistant definition before it is stored: each bad field gets a code and a French reason."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from server.assistants.catalog import WORKFLOWS, tool_server
from server.assistants.policy import chat_model_id
from server.assistants.schemas import (
    DATA_CLASSES,
    MAX_DESCRIPTION_CHARS,
    MAX_INSTRUCTIONS_CHARS,
    MAX_NAME_CHARS,
    MAX_PROMPT_CHARS,
    MAX_STARTER_PROMPTS,
    AssistantIn,
)
from server.auth.roles import Role
from server.errors import ApiError, ServiceUnavailableError
from server.gateway.decision import Catalogue
from server.messages import MESSAGES

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
# Path segments of the API (`/api/assistants/options`) and of the web app (`/assistants/nouveau`).
RESERVED_IDS = frozenset({"options", "nouveau"})


def slug(name: str) -> str:
    """An id from a name: « Coach Temps de Travail » → `coach-temps-de-travail`."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:56].strip("-")
    return text if len(text) >= 2 else f"assistant-{text}".strip("-")


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(value.strip() for value in values if value.strip()))


def _too_long(field: str, value: str, limit: int) -> None:
    """`field`: the catalogue id of the field's name (« Le nom »)."""
    if len(value) > limit:
        raise ApiError(
            MESSAGES("assistants.too_long", field=MESSAGES(field), limit=limit, length=len(value)),
            code="field_too_long",
        )


def definition(body: AssistantIn, catalogue: Catalogue | None, servers: Mapping[str, str]) -> dict[str, Any]:
    """The fields of a version, normalised (model ids canonical, lists deduplicated).

    Raises:
        ApiError: `name_required`, `field_too_long`, `unknown_data_class`, `unknown_model`,
            `unknown_tool`, `unknown_workflow`, `unknown_role`, `too_many_starter_prompts` (400).
        ServiceUnavailableError: models are asked but no policy is in force to check them (503).
    """
    name = " ".join(body.name.split())
    if not name:
        raise ApiError(MESSAGES("assistants.name_required"), code="name_required")
    _too_long("assistants.field.name", name, MAX_NAME_CHARS)
    _too_long("assistants.field.description", body.description, MAX_DESCRIPTION_CHARS)
    _too_long("assistants.field.instructions", body.instructions, MAX_INSTRUCTIONS_CHARS)
    _too_long("assistants.field.contact", body.contact, MAX_PROMPT_CHARS)
    if body.data_class not in DATA_CLASSES:
        raise ApiError(
            MESSAGES("assistants.unknown_data_class", value=body.data_class),
            code="unknown_data_class",
        )
    models = _models(body.models, catalogue)
    tools = _names(body.tools, servers, tool_server, "assistants.unknown_tool", "unknown_tool")
    workflows = _names(body.workflows, WORKFLOWS, str, "assistants.unknown_workflow", "unknown_workflow")
    prompts = _unique(body.starter_prompts)
    if len(prompts) > MAX_STARTER_PROMPTS:
        raise ApiError(
            MESSAGES("assistants.too_many_prompts", limit=MAX_STARTER_PROMPTS),
            code="too_many_starter_prompts",
        )
    for prompt in prompts:
        _too_long("assistants.field.prompt", prompt, MAX_PROMPT_CHARS)
    roles = _unique(body.audience.roles)
    for role in roles:
        if role not in {r.value for r in Role}:
            raise ApiError(MESSAGES("assistants.unknown_role", role=role[:40]), code="unknown_role")
    return {
        "name": name,
        "description": body.description.strip(),
        "instructions": body.instructions.strip(),
        "data_class": body.data_class,
        "models": models,
        "tools": tools,
        "workflows": workflows,
        "contact": body.contact.strip(),
        "starter_prompts": prompts,
        "audience_roles": roles,
        "audience_services": _unique(body.audience.services),
    }


def _models(names: list[str], catalogue: Catalogue | None) -> list[str]:
    models = []
    for raw in _unique(names):
        if catalogue is None:
            raise ServiceUnavailableError(
                MESSAGES("assistants.policy_unavailable"),
                code="policy_unavailable",
            )
        model = chat_model_id(catalogue, raw)
        if model is None:
            raise ApiError(MESSAGES("assistants.unknown_model", model=raw[:80]), code="unknown_model")
        models.append(model)
    return list(dict.fromkeys(models))


def _names(
    names: list[str], known: Mapping[str, str], key: Callable[[str], str], message: str, code: str
) -> list[str]:
    values = _unique(names)
    for value in values:
        if key(value) not in known:
            raise ApiError(MESSAGES(message, value=value[:80], known=", ".join(known)), code=code)
    return values


def check_id(assistant_id: str) -> str:
    """An explicit id, checked.

    Raises:
        ApiError: `invalid_assistant_id` (400).
    """
    if not ID_PATTERN.match(assistant_id) or assistant_id in RESERVED_IDS:
        raise ApiError(
            MESSAGES("assistants.invalid_id"),
            code="invalid_assistant_id",
        )
    return assistant_id
