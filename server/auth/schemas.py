"""Shapes of the authenticated user."""

from __future__ import annotations

from pydantic import BaseModel, Field

from server.auth.roles import Role
from tools.i18n import Language


class Principal(BaseModel):
    """Who is calling, as the validated token says; `token` is kept to act on their behalf."""

    issuer: str
    subject: str
    email: str
    display_name: str
    job_title: str = ""
    service: str = ""
    job_category: str = ""
    roles: list[Role] = Field(default_factory=list)
    token: str = Field(repr=False, exclude=True)
    # The language the request asks for (`Accept-Language`), not part of the identity: set per request.
    language: Language = Field("fr", exclude=True)

    def has_any(self, *roles: Role) -> bool:
        """True when the user holds at least one of `roles`."""
        return any(role in self.roles for role in roles)


class UserOut(BaseModel):
    """`GET /api/me`: the signed-in user as the web app shows them."""

    id: str
    email: str
    display_name: str
    job_title: str
    service: str
    job_category: str
    roles: list[Role]


class AuthConfig(BaseModel):
    """`GET /auth/config`: how the web app signs in (public, needed before sign-in)."""

    issuer: str
    client_id: str
    scope: str
    redirect_path: str = "/auth/callback"
    link_hosts: list[str] = []  # hosts whose links in answers are clickable (`.example.fr`: subdomains)
    document_viewer: bool = False  # cited SharePoint documents open in the web app's viewer (local tenant)


class User(Principal):
    """A principal recorded in Ariane's database, with their Ariane id."""

    id: str

    def public(self) -> UserOut:
        """What the web app may see of the user."""
        return UserOut.model_validate(self.model_dump(include=set(UserOut.model_fields)))
