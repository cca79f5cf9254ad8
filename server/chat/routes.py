"""`/api/threads` and `/api/runs`: conversations of the signed-in user and their streamed runs."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import StreamingResponse

from server.chat import repository
from server.chat.schemas import RunCreate, RunEvent, Thread, ThreadCreate, ThreadDetail, ThreadRename
from server.chat.service import ChatService
from server.deps import Context, CurrentUser, DbPool
from server.errors import NotFoundError
from server.messages import MESSAGES

router = APIRouter(prefix="/api", tags=["chat"])


def _chat(context: Context) -> ChatService:
    chat = context.chat
    assert chat is not None
    return chat


Chat = Annotated[ChatService, Depends(_chat)]


def _sse(events: AsyncIterator[RunEvent], headers: dict[str, str] | None = None) -> StreamingResponse:
    async def body() -> AsyncIterator[bytes]:
        async for event in events:
            payload = json.dumps(event.data, ensure_ascii=False, separators=(",", ":"))
            yield f"id: {event.seq}\nevent: {event.type}\ndata: {payload}\n\n".encode()

    # No buffering by proxies: each event must reach the browser as it happens.
    base = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(body(), media_type="text/event-stream", headers=base | (headers or {}))


@router.get("/threads")
async def list_threads(user: CurrentUser, pool: DbPool) -> list[Thread]:
    """The signed-in user's conversations, most recent first."""
    return await repository.list_threads(pool, user.id)


@router.post("/threads", status_code=201)
async def create_thread(user: CurrentUser, chat: Chat, body: ThreadCreate) -> Thread:
    """Start a conversation, with an assistant the user may use (404 `assistant_not_found` otherwise)."""
    return await chat.create_thread(user, body)


@router.get("/threads/{thread_id}")
async def get_thread(user: CurrentUser, chat: Chat, thread_id: str) -> ThreadDetail:
    """A conversation with its runs (requests, answers, citations)."""
    thread = await chat.thread_of(user, thread_id)
    return ThreadDetail(**thread.model_dump(), runs=await chat.runs_of(thread, user.language))


@router.patch("/threads/{thread_id}")
async def rename_thread(
    user: CurrentUser, pool: DbPool, chat: Chat, thread_id: str, body: ThreadRename
) -> Thread:
    """Rename a conversation."""
    thread = await chat.thread_of(user, thread_id)
    renamed = await repository.rename_thread(pool, user.id, thread.id, body.title.strip())
    if renamed is None:
        raise NotFoundError(MESSAGES("chat.thread_not_found"), code="thread_not_found")
    return renamed


@router.delete("/threads/{thread_id}", status_code=204)
async def delete_thread(user: CurrentUser, pool: DbPool, chat: Chat, thread_id: str) -> Response:
    """Delete a conversation and its runs."""
    thread = await chat.thread_of(user, thread_id)
    await repository.delete_thread(pool, user.id, thread.id)
    return Response(status_code=204)


@router.post(
    "/threads/{thread_id}/runs",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "The run's events (SSE)."}},
)
async def start_run(user: CurrentUser, chat: Chat, thread_id: str, body: RunCreate) -> StreamingResponse:
    """Send a message; the answer streams as server-sent events.

    Event types: started (first, at once: stored with the run), token, tool_start, tool_end,
    citation, approval_required, error, done. The run goes on if the client disconnects;
    `GET /api/runs/{id}/events` reattaches.
    """
    thread = await chat.thread_of(user, thread_id)
    run = await chat.start_run(user, thread, body)
    return _sse(chat.new_run_events(user, run), {"X-Ariane-Run-Id": run.id})


@router.get("/runs/{run_id}")
async def get_run(user: CurrentUser, chat: Chat, run_id: str) -> dict[str, object]:
    """A run's status and, once finished, its answer and citations."""
    return (await chat.run_of(user, run_id)).model_dump(mode="json")


@router.get(
    "/runs/{run_id}/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "The run's events (SSE)."}},
)
async def run_events(
    request: Request,
    user: CurrentUser,
    chat: Chat,
    run_id: str,
    after: Annotated[int, Query(ge=0, description="Send only events after this sequence number.")] = 0,
    last_event_id: Annotated[str | None, Header()] = None,
) -> StreamingResponse:
    """Reattach to a run: its events after `after` (or `Last-Event-ID`), then live until `done`."""
    if last_event_id and last_event_id.isdigit():
        after = max(after, int(last_event_id))
    await chat.run_of(user, run_id)
    return _sse(chat.events(user, run_id, after))


@router.post("/runs/{run_id}/stop")
async def stop_run(user: CurrentUser, chat: Chat, run_id: str) -> dict[str, object]:
    """Stop a run that is still going; its partial events stay, its status becomes `stopped`."""
    return (await chat.stop(user, run_id)).model_dump(mode="json")
