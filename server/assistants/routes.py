"""`/api/assistants`: the gallery, the editor (each save a new version) and the version history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from server.assistants.schemas import (
    Assistant,
    AssistantIn,
    AssistantUpdate,
    AssistantVersion,
    EditorOptions,
    Option,
)
from server.assistants.service import AssistantService
from server.deps import Context, CurrentUser

router = APIRouter(prefix="/api/assistants", tags=["assistants"])


def _assistants(context: Context) -> AssistantService:
    service = context.assistants
    assert service is not None
    return service


Assistants = Annotated[AssistantService, Depends(_assistants)]


@router.get("")
async def list_assistants(user: CurrentUser, assistants: Assistants) -> list[Assistant]:
    """The assistants the signed-in user may use, built-in ones first, with policy issues flagged."""
    return await assistants.usable(user)


@router.get("/options")
async def editor_options(
    user: CurrentUser,
    assistants: Assistants,
    assistant: Annotated[str, Query(max_length=63, description="The assistant being edited.")] = "",
) -> EditorOptions:
    """What the editor may offer this user: models policy allows, tool servers, workflows, audiences."""
    return await assistants.options(user, assistant)


@router.post("", status_code=201)
async def create_assistant(user: CurrentUser, assistants: Assistants, body: AssistantIn) -> Assistant:
    """Create an assistant (version 1); its author is the signed-in user."""
    return await assistants.create(user, body)


@router.get("/{assistant_id}")
async def get_assistant(user: CurrentUser, assistants: Assistants, assistant_id: str) -> Assistant:
    """One assistant (404 when it does not exist or the user may not use it)."""
    return await assistants.get(user, assistant_id)


@router.get("/{assistant_id}/models")
async def chat_models(user: CurrentUser, assistants: Assistants, assistant_id: str) -> list[Option]:
    """The models the chat may be asked to use with this assistant (the composer's picker).

    Configured, allowed to the user as that assistant for its data class, among the assistant's own
    when it lists any; a run asks for one with `model`.
    """
    return await assistants.chat_models(user, assistant_id)


@router.put("/{assistant_id}")
async def update_assistant(
    user: CurrentUser, assistants: Assistants, assistant_id: str, body: AssistantUpdate
) -> Assistant:
    """Save a new version of the whole definition; earlier versions stay unchanged."""
    return await assistants.update(user, assistant_id, body)


@router.delete("/{assistant_id}", status_code=204)
async def delete_assistant(user: CurrentUser, assistants: Assistants, assistant_id: str) -> Response:
    """Archive an assistant: nobody may use it any more; runs keep the version they used."""
    await assistants.archive(user, assistant_id)
    return Response(status_code=204)


@router.get("/{assistant_id}/versions")
async def list_versions(
    user: CurrentUser, assistants: Assistants, assistant_id: str
) -> list[AssistantVersion]:
    """Every version of the assistant, newest first."""
    return await assistants.versions(user, assistant_id)
