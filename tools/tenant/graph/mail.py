"""Mail: `mailFolders`, `messages` (list, read, `$filter`, `$search`), delta query, drafts and sending.

Every route exists for `/me/…` (delegated only) and `/users/{id | address}/…` (a shared mailbox, or
any mailbox an application may reach). A mailbox the caller may not read answers 403
`ErrorAccessDenied`, a message it does not hold 404, as Exchange does.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from tools.tenant.graph.errors import GraphError, bad_request, not_found
from tools.tenant.graph.mail_access import MailCaller, MailCallerDep
from tools.tenant.graph.mail_shapes import (
    folder_json,
    folder_name,
    matches_filter,
    matches_search,
    message_json,
    new_message,
    selected,
)
from tools.tenant.graph.paging import collection, page
from tools.tenant.graph.shapes import Json
from tools.tenant.graph.state import GraphState, State
from tools.tenant.mail import Mailbox, Message
from tools.tenant.mail.store import FOLDERS

router = APIRouter()
_MAX_PAGE = re.compile(r"odata\.maxpagesize\s*=\s*(\d+)", re.IGNORECASE)
_DELTA_PAGE = 10
_DENIED = "Access is denied. Check credentials and try again."


def _box(state: GraphState, caller: MailCaller, key: str | None, *, send: bool = False) -> Mailbox:
    if key is None:
        if caller.user is None:
            raise bad_request("/me request is only valid with delegated authentication flow.")
        key = caller.user.id
    box = state.mail.mailbox(key)
    if box is None:
        raise GraphError(404, "ErrorInvalidUser", f"The requested user '{key}' is invalid.")
    if not (caller.may_send(box, state.mail) if send else caller.may_read(box, state.mail)):
        raise GraphError(403, "ErrorAccessDenied", _DENIED)
    return box


def _message(state: GraphState, box: Mailbox, message_id: str) -> Message:
    message = state.mail.messages.get(message_id)
    if message is None or message.mailbox_id != box.id:
        raise not_found("The specified object was not found in the store.")
    return message


def _folder(box: Mailbox, key: str) -> str:
    name = folder_name(box, key)
    if name is None:
        raise not_found("The specified folder could not be found in the store.")
    return name


def _web_base(state: GraphState) -> str:
    return f"https://outlook.office365.com/{state.directory.tenant.domain}"


def _context(state: GraphState, box: Mailbox, tail: str) -> str:
    return f"{state.base_url}/$metadata#users('{box.id}')/{tail}"


def _both(method: str, path: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a handler at `/me{path}` and `/users/{key}{path}` (`key` is None for `/me`)."""

    def register(handler: Callable[..., Any]) -> Callable[..., Any]:
        router.add_api_route(f"/me{path}", handler, methods=[method])
        router.add_api_route(f"/users/{{key}}{path}", handler, methods=[method])
        return handler

    return register


@_both("GET", "/mailFolders")
async def list_folders(state: State, caller: MailCallerDep, key: str | None = None) -> Json:
    """The mailbox's well-known folders."""
    box = _box(state, caller, key)
    values = [folder_json(box, name, state.mail.in_mailbox(box.id, name)) for name in FOLDERS]
    return collection(_context(state, box, "mailFolders"), values, None)


@_both("GET", "/mailFolders/{folder}")
async def get_folder(folder: str, state: State, caller: MailCallerDep, key: str | None = None) -> Json:
    """One folder, by id or well-known name."""
    box = _box(state, caller, key)
    name = _folder(box, folder)
    body = folder_json(box, name, state.mail.in_mailbox(box.id, name))
    return {"@odata.context": _context(state, box, "mailFolders/$entity"), **body}


def _listing(request: Request, state: GraphState, box: Mailbox, messages: list[Message], tail: str) -> Json:
    query = request.query_params
    if query.get("$filter") and query.get("$search"):
        raise bad_request("$filter and $search cannot be combined on messages.")
    kept = [
        m
        for m in messages
        if matches_filter(m, query.get("$filter")) and matches_search(m, query.get("$search"))
    ]
    if (query.get("$orderby") or "").lower().replace(" ", "") == "receiveddatetimeasc":
        kept.reverse()
    chunk, next_link = page(request, state.base_url, kept, default_top=10, max_top=1000)
    values = [selected(message_json(m, box, _web_base(state)), query.get("$select")) for m in chunk]
    return collection(_context(state, box, tail), values, next_link)


@_both("GET", "/messages")
async def list_messages(
    request: Request, state: State, caller: MailCallerDep, key: str | None = None
) -> Json:
    """Messages of every folder, newest first; `$filter`, `$search`, `$select`, `$top`, `$orderby`."""
    box = _box(state, caller, key)
    return _listing(request, state, box, state.mail.in_mailbox(box.id), "messages")


@_both("GET", "/mailFolders/{folder}/messages")
async def folder_messages(
    folder: str, request: Request, state: State, caller: MailCallerDep, key: str | None = None
) -> Json:
    """Messages of one folder, newest first."""
    box = _box(state, caller, key)
    name = _folder(box, folder)
    return _listing(
        request, state, box, state.mail.in_mailbox(box.id, name), f"mailFolders('{name}')/messages"
    )


@_both("GET", "/messages/{message_id}")
async def get_message(
    message_id: str, request: Request, state: State, caller: MailCallerDep, key: str | None = None
) -> Json:
    """One message."""
    box = _box(state, caller, key)
    body = message_json(_message(state, box, message_id), box, _web_base(state))
    return {
        "@odata.context": _context(state, box, "messages/$entity"),
        **selected(body, request.query_params.get("$select")),
    }


@_both("PATCH", "/messages/{message_id}")
async def update_message(
    message_id: str, request: Request, state: State, caller: MailCallerDep, key: str | None = None
) -> Json:
    """Mark a message read or unread (`isRead`), the one change mail clients make here."""
    box = _box(state, caller, key)
    message = _message(state, box, message_id)
    body = await request.json()
    if set(body) - {"isRead"} or not isinstance(body.get("isRead"), bool):
        raise bad_request("Only isRead (a boolean) can be changed here.")
    changed = state.mail.mark_read(message, body["isRead"])
    return message_json(changed, box, _web_base(state))


# --- delta ----------------------------------------------------------------------------------


def _token(prefix: str, *numbers: int) -> str:
    raw = ":".join([prefix, *map(str, numbers)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _numbers(prefix: str, token: str, count: int) -> list[int]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        parts = raw.split(":")
        if parts[0] != prefix or len(parts) != count + 1:
            raise ValueError(raw)
        return [int(part) for part in parts[1:]]
    except ValueError:
        raise GraphError(400, "SyncStateNotFound", "The sync state is invalid or has expired.") from None


async def _delta(
    folder: str, request: Request, state: GraphState, caller: MailCaller, key: str | None
) -> Json:
    box = _box(state, caller, key)
    name = _folder(box, folder)
    query = request.query_params
    if query.get("$skiptoken"):
        after, upto, offset = _numbers("s", query["$skiptoken"], 3)
    elif query.get("$deltatoken"):
        after, upto, offset = _numbers("d", query["$deltatoken"], 1)[0], state.mail.seq, 0
    else:
        after, upto, offset = 0, state.mail.seq, 0
    changed, removed = state.mail.changes(box.id, name, after, upto)
    items: list[Json] = [
        selected(message_json(m, box, _web_base(state)), query.get("$select")) for m in changed
    ] + [
        {"@odata.type": "#microsoft.graph.message", "id": i, "@removed": {"reason": "deleted"}}
        for i in removed
    ]
    size = _page_size(request)
    chunk = items[offset : offset + size]
    path = request.url.path.removeprefix(request.scope.get("root_path", ""))
    body: Json = {
        "@odata.context": _context(state, box, f"mailFolders('{name}')/messages/$delta"),
        "value": chunk,
    }
    if offset + size < len(items):
        body["@odata.nextLink"] = (
            f"{state.base_url}{path}?$skiptoken={_token('s', after, upto, offset + size)}"
        )
    else:
        body["@odata.deltaLink"] = f"{state.base_url}{path}?$deltatoken={_token('d', upto)}"
    return body


def _page_size(request: Request) -> int:
    match = _MAX_PAGE.search(request.headers.get("prefer", ""))
    return max(1, min(int(match.group(1)), 1000)) if match else _DELTA_PAGE


async def folder_delta(
    folder: str, request: Request, state: State, caller: MailCallerDep, key: str | None = None
) -> Json:
    """Messages changed in a folder since the delta token (all of them without one), paged."""
    return await _delta(folder, request, state, caller, key)


_both("GET", "/mailFolders/{folder}/messages/delta")(folder_delta)
_both("GET", "/mailFolders/{folder}/messages/delta()")(folder_delta)  # msgraph-sdk's form


# --- drafts and sending ------------------------------------------------------------------------


def _parameters(body: Any) -> dict[str, Any]:
    """An action's parameters by lower-cased name: Graph takes `Message` and `message` alike."""
    if not isinstance(body, dict):
        raise bad_request("A JSON object is expected.")
    return {str(name).lower(): value for name, value in body.items()}


@_both("POST", "/sendMail")
async def send_mail(
    request: Request, state: State, caller: MailCallerDep, key: str | None = None
) -> Response:
    """Send a message as the mailbox: saved in its Sent Items, delivered to its recipients (202)."""
    box = _box(state, caller, key, send=True)
    body = _parameters(await request.json())
    if not isinstance(body.get("message"), dict):
        raise bad_request("The message property is required.")
    message = new_message(body["message"])
    if not message.to and not message.cc:
        raise GraphError(400, "ErrorInvalidRecipients", "At least one recipient is not valid.")
    state.mail.send_draft(state.mail.create_draft(box, message))
    return Response(status_code=202)


@_both("POST", "/messages")
async def create_draft(
    request: Request, state: State, caller: MailCallerDep, key: str | None = None
) -> Response:
    """Create a draft in the mailbox's Drafts folder (201)."""
    box = _box(state, caller, key, send=True)
    draft = state.mail.create_draft(box, new_message(await request.json()))
    return JSONResponse(message_json(draft, box, _web_base(state)), status_code=201)


@_both("POST", "/messages/{message_id}/createReply")
async def create_reply(
    message_id: str, request: Request, state: State, caller: MailCallerDep, key: str | None = None
) -> Response:
    """A draft answering a received message: to its sender, « RE: » subject, same conversation (201)."""
    box = _box(state, caller, key, send=True)
    original = _message(state, box, message_id)
    raw = await request.body()
    patch = new_message(_parameters(await request.json()).get("message") or {}) if raw else None
    subject = original.subject if original.subject.lower().startswith("re:") else f"RE: {original.subject}"
    fields: dict[str, Any] = {"subject": subject, "to": original.reply_to or (original.sender,)}
    if patch is not None:  # what the client gives replaces the defaults
        given = {"body": patch.body, "to": patch.to, "cc": patch.cc,
                 "internet_message_id": patch.internet_message_id}  # fmt: skip
        fields |= {name: value for name, value in given.items() if value}
        fields["body_type"] = patch.body_type
    draft = state.mail.create_draft(box, new_message({}).model_copy(update=fields), in_reply_to=original)
    return JSONResponse(message_json(draft, box, _web_base(state)), status_code=201)


@_both("POST", "/messages/{message_id}/send")
async def send_draft(
    message_id: str, state: State, caller: MailCallerDep, key: str | None = None
) -> Response:
    """Send a draft (202); a message already sent cannot be sent again."""
    box = _box(state, caller, key, send=True)
    draft = _message(state, box, message_id)
    if not draft.is_draft:
        raise GraphError(400, "ErrorInvalidOperation", "Only draft messages can be sent.")
    if not draft.to and not draft.cc:
        raise GraphError(400, "ErrorInvalidRecipients", "At least one recipient is not valid.")
    state.mail.send_draft(draft)
    return Response(status_code=202)
