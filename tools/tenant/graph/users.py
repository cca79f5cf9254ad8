"""`/me`, `/users`, `/users/{id | userPrincipalName}`."""

from __future__ import annotations

from fastapi import APIRouter, Request

from tools.tenant.directory import User
from tools.tenant.graph.errors import GraphError
from tools.tenant.graph.paging import collection, page
from tools.tenant.graph.shapes import Json, user_json
from tools.tenant.graph.state import Caller, GraphState, State

router = APIRouter()


def resolve_user(state: GraphState, key: str) -> User:
    """A user by object id or by user principal name (mail).

    Raises:
        GraphError: `Request_ResourceNotFound` (404), as Graph names a missing directory object.
    """
    user = state.directory.user_by_id(key) or state.directory.user_by_mail(key)
    if user is None:
        raise GraphError(404, "Request_ResourceNotFound", f"Resource '{key}' does not exist.")
    return user


@router.get("/me")
async def me(state: State, caller: Caller) -> Json:
    """The signed-in user."""
    return {"@odata.context": f"{state.base_url}/$metadata#users/$entity", **user_json(caller.user)}


@router.get("/users")
async def users(request: Request, state: State, caller: Caller) -> Json:
    """Everyone in the directory (every member may read basic profiles, as in Entra ID)."""
    ordered = sorted(state.directory.users, key=lambda user: user.display_name)
    chunk, next_link = page(request, state.base_url, ordered, default_top=100)
    return collection(f"{state.base_url}/$metadata#users", [user_json(u) for u in chunk], next_link)


@router.get("/users/{key}")
async def user(key: str, state: State, caller: Caller) -> Json:
    """One user."""
    found = resolve_user(state, key)
    return {"@odata.context": f"{state.base_url}/$metadata#users/$entity", **user_json(found)}
