"""FastAPI dependencies as `Annotated` aliases."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request

from server.auth.roles import Role
from server.auth.schemas import User
from server.context import AppContext
from server.errors import ForbiddenError, NotAuthenticatedError, language_of
from server.messages import MESSAGES
from tools.database import Pool


def _context(request: Request) -> AppContext:
    context: AppContext = request.app.state.context
    return context


Context = Annotated[AppContext, Depends(_context)]


def _pool(context: Context) -> Pool:
    return context.pool


DbPool = Annotated[Pool, Depends(_pool)]


async def _current_user(request: Request, context: Context) -> User:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticatedError(MESSAGES("auth.token_required"), headers={"WWW-Authenticate": "Bearer"})
    user = await context.auth.authenticate(token.strip())
    # The user reads fixed texts (errors, agents' notices) in the language their client asks for.
    return user.model_copy(update={"language": language_of(request)})


CurrentUser = Annotated[User, Depends(_current_user)]


def require_roles(*roles: Role) -> Callable[[User], Awaitable[User]]:
    """A dependency that lets through only users holding one of `roles` (403 otherwise)."""

    async def check(user: CurrentUser) -> User:
        if not user.has_any(*roles):
            raise ForbiddenError(MESSAGES("auth.role_required"))
        return user

    return check
