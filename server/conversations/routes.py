"""Feedback on answers, search over conversations, export of a conversation.

Each acts on the signed-in user's own threads and runs; others' are 404 as if unknown.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from server.chat.schemas import RunStatus
from server.chat.service import ChatService, RunConflictError
from server.conversations import repository
from server.conversations.export import Conversation, to_docx, to_markdown
from server.conversations.links import CitationLinks
from server.conversations.schemas import (
    MAX_QUERY_CHARS,
    AssistantFeedback,
    ExportFormat,
    ExportLanguage,
    Feedback,
    FeedbackIn,
    SearchHit,
    ToolEvent,
)
from server.deps import Context, CurrentUser, DbPool
from server.errors import ApiError, NotFoundError
from server.messages import MESSAGES
from tools.i18n import as_language

router = APIRouter(prefix="/api", tags=["conversations"])
_MEDIA = {
    ExportFormat.MARKDOWN: ("text/markdown; charset=utf-8", "md"),
    ExportFormat.DOCX: ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
}


def _chat(context: Context) -> ChatService:
    chat = context.chat
    assert chat is not None
    return chat


Chat = Annotated[ChatService, Depends(_chat)]


@router.put("/runs/{run_id}/feedback")
async def give_feedback(
    user: CurrentUser, pool: DbPool, chat: Chat, run_id: str, body: FeedbackIn
) -> Feedback:
    """Rate one of my answers (thumbs up or down, optional comment); a second rating replaces the first.

    The assistant's owner sees it with the exchange, never who gave it.
    """
    run = await chat.run_of(user, run_id)
    if run.status == RunStatus.RUNNING:
        raise RunConflictError(MESSAGES("conversations.feedback_too_early"))
    return await repository.upsert_feedback(pool, user.id, run.id, body.rating, body.comment.strip())


@router.delete("/runs/{run_id}/feedback", status_code=204)
async def withdraw_feedback(user: CurrentUser, pool: DbPool, chat: Chat, run_id: str) -> Response:
    """Withdraw my rating of an answer."""
    run = await chat.run_of(user, run_id)
    await repository.delete_feedback(pool, user.id, run.id)
    return Response(status_code=204)


@router.get("/threads/{thread_id}/feedback")
async def thread_feedback(user: CurrentUser, pool: DbPool, chat: Chat, thread_id: str) -> list[Feedback]:
    """My ratings of the answers of one of my conversations."""
    thread = await chat.thread_of(user, thread_id)
    return await repository.thread_feedback(pool, user.id, thread.id)


@router.get("/threads/{thread_id}/tool-events")
async def thread_tool_events(user: CurrentUser, pool: DbPool, chat: Chat, thread_id: str) -> list[ToolEvent]:
    """The tool events of my conversation's finished runs, so that a reopened thread shows its tool cards."""
    thread = await chat.thread_of(user, thread_id)
    return await repository.tool_events(pool, thread.id)


@router.get("/assistants/{assistant_id}/feedback")
async def assistant_feedback(
    user: CurrentUser, pool: DbPool, context: Context, assistant_id: str
) -> list[AssistantFeedback]:
    """Ratings of an assistant's answers, for whoever may edit it (its author, tool developers, AI admins).

    Each comes with the request and the answer it rates (material for the evaluation suites).
    """
    assistants = context.assistants
    if assistants is None or not await assistants.may_edit(user, assistant_id):
        raise NotFoundError(MESSAGES("assistants.not_editable"), code="assistant_not_found")
    return await repository.assistant_feedback(pool, assistant_id)


@router.get("/search/threads")
async def search_threads(
    user: CurrentUser,
    pool: DbPool,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, description="Words to find (French).")],
) -> list[SearchHit]:
    """My conversations whose title, requests or answers contain these words (French full text)."""
    if not q.strip():
        raise ApiError(MESSAGES("conversations.query_empty"), code="query_empty")
    return await repository.search_threads(pool, user.id, q.strip())


@router.get(
    "/threads/{thread_id}/export",
    response_class=Response,
    responses={200: {"content": {media: {} for media, _ in _MEDIA.values()}, "description": "The file."}},
)
async def export_thread(
    user: CurrentUser,
    pool: DbPool,
    chat: Chat,
    context: Context,
    thread_id: str,
    format: ExportFormat = ExportFormat.MARKDOWN,
    lang: ExportLanguage = ExportLanguage.FR,
) -> Response:
    """One of my conversations as a Markdown or Word file, every answer with its sources."""
    thread = await chat.thread_of(user, thread_id)
    runs = await chat.runs_of(thread, as_language(lang.value))
    name = await _assistant_name(context, user, thread.assistant_id)
    links = CitationLinks(context.settings.base_url, context.local_documents)
    conversation = Conversation(thread, runs, name, datetime.now(UTC), lang, links)
    media, extension = _MEDIA[format]
    body = to_docx(conversation) if format == ExportFormat.DOCX else to_markdown(conversation).encode()
    filename = f"{_slug(thread.title)}.{extension}"
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


async def _assistant_name(context: Context, user: CurrentUser, assistant_id: str | None) -> str:
    if context.assistants is None:
        return assistant_id or "Ariane"
    try:
        return (await context.assistants.get(user, assistant_id or "ariane")).name
    except NotFoundError:  # archived since, or no longer open to the user: its id still says who
        return assistant_id or "Ariane"


def _slug(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_title).strip("-").lower()[:60] or "conversation"
