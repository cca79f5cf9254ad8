"""How an assistant fits the gateway's policy: models that exist and are allowed, tools that exist."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping

from agents.assistant import AssistantProfile
from server.assistants.catalog import tool_server
from server.assistants.schemas import Issue, IssueKind
from server.auth.schemas import User
from server.gateway.callers import Caller
from server.gateway.decision import Catalogue
from server.gateway.errors import ModelNotFoundError, PolicyUnavailableError
from server.gateway.policy import Model, ModelKind, canonical_name
from server.gateway.service import Gateway
from server.messages import MESSAGES

# The catalogue in force, or None when no valid policy can be loaded (then nothing is allowed).
CatalogueSource = Callable[[], Awaitable[Catalogue | None]]


def chat_model_id(catalogue: Catalogue, name: str) -> str | None:
    """The catalogue id of a chat model named `name` (ids and aliases), or None."""
    try:
        model = catalogue.resolve(name)
    except ModelNotFoundError:
        return None
    return model.id if model.kind is ModelKind.CHAT else None


def allowed_chat_models(catalogue: Catalogue | None, user: User, assistant_id: str) -> list[str]:
    """Chat models the policy allows this user with this assistant (configured or not), in order."""
    if catalogue is None:
        return []
    caller = Caller.from_user(user)
    return [
        model.id
        for model in catalogue.policy.models
        if model.kind is ModelKind.CHAT and catalogue.grants(caller, model, canonical_name(assistant_id))
    ]


def chat_models_for(catalogue: Catalogue | None, user: User, profile: AssistantProfile) -> list[Model]:
    """Chat models a conversation with this assistant may be asked to use, in catalogue order.

    Configured, granted to the user as that assistant for its data class (the floor of every request
    it makes), able to take that class, and among the assistant's own models when it lists any.
    """
    if catalogue is None:
        return []
    caller = Caller.from_user(user)
    listed = {chat_model_id(catalogue, name) for name in profile.models}
    data_class = profile.data_class
    return [
        model
        for model in catalogue.policy.models
        if model.kind is ModelKind.CHAT
        and catalogue.is_configured(model)
        and (not profile.models or model.id in listed)
        and data_class in model.data_classes
        and any(
            data_class in grant.data_classes
            for grant in catalogue.grants(caller, model, canonical_name(profile.id))
        )
    ]


def issues(
    catalogue: Catalogue | None,
    user: User,
    assistant_id: str,
    models: Iterable[str],
    tools: Iterable[str],
    servers: Mapping[str, str],
) -> list[Issue]:
    """What of the assistant policy no longer allows for this user (in their language): models, then tools."""
    found: list[Issue] = []
    allowed = set(allowed_chat_models(catalogue, user, assistant_id))
    for name in models:
        model = chat_model_id(catalogue, name) if catalogue is not None else None
        if model is None:
            text = MESSAGES("assistants.issue.model_gone", name=name)
        elif model not in allowed:
            text = MESSAGES("assistants.issue.model_not_allowed", name=name)
        else:
            continue
        if catalogue is None:
            text = MESSAGES("assistants.issue.policy_unavailable")
        detail = text.render(user.language)
        found.append(Issue(kind=IssueKind.MODEL_NOT_ALLOWED, name=name, detail=detail))
    for name in tools:
        if tool_server(name) not in servers:
            detail = MESSAGES.text("assistants.issue.tool_gone", user.language, name=name)
            found.append(Issue(kind=IssueKind.TOOL_NOT_AVAILABLE, name=name, detail=detail))
    return found


def policy_named_ids(catalogue: Catalogue | None) -> frozenset[str]:
    """Assistant ids the policy names: its declared assistants and those its rules grant models to.

    Whoever creates an assistant with one of these ids would hold what the policy grants it.
    """
    if catalogue is None:
        return frozenset()
    policy = catalogue.policy
    return frozenset(policy.assistants) | {name for rule in policy.rules for name in rule.assistants}


def catalogue_source(gateway: Callable[[], Gateway | None]) -> CatalogueSource:
    """The in-process gateway's catalogue, read at each call (the policy changes while running)."""

    async def current() -> Catalogue | None:
        running = gateway()
        if running is None:
            return None
        try:
            return (await running.store.current()).catalogue
        except PolicyUnavailableError:
            return None

    return current
