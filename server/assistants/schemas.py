"""Shapes of the assistants API."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

DataClass = Literal["public", "internal", "personal", "health"]
DATA_CLASSES: tuple[str, ...] = ("public", "internal", "personal", "health")
MAX_NAME_CHARS = 80
MAX_DESCRIPTION_CHARS = 500
MAX_INSTRUCTIONS_CHARS = 8000
MAX_STARTER_PROMPTS = 6
MAX_PROMPT_CHARS = 300


class IssueKind(StrEnum):
    """Ways an assistant no longer fits the policy or the platform."""

    MODEL_NOT_ALLOWED = "model_not_allowed"
    TOOL_NOT_AVAILABLE = "tool_not_available"


class Issue(BaseModel):
    """Something of the assistant that policy no longer allows: shown in the editor, refused at run."""

    kind: IssueKind
    name: str
    detail: str


class Audience(BaseModel):
    """Who may use the assistant: any of `roles` and any of `services`; both empty means everyone."""

    roles: list[str] = Field(default_factory=list, max_length=20)
    services: list[str] = Field(default_factory=list, max_length=50)


class AssistantIn(BaseModel):
    """`POST /api/assistants` and `PUT /api/assistants/{id}`: a whole definition (a new version)."""

    id: str | None = Field(
        None,
        description="Identifiant (a-z, 0-9, tirets); déduit du nom s'il manque. À la création seulement : "
        "une nouvelle version garde celui de l'adresse.",
    )
    name: str
    description: str = ""
    instructions: str = ""
    data_class: str = Field(
        "internal", json_schema_extra={"enum": ["public", "internal", "personal", "health"]}
    )
    models: list[str] = Field(default_factory=list, max_length=20)
    tools: list[str] = Field(default_factory=list, max_length=20)
    workflows: list[str] = Field(default_factory=list, max_length=10)
    contact: str = ""
    starter_prompts: list[str] = Field(default_factory=list)
    audience: Audience = Field(default_factory=Audience)


class AssistantUpdate(AssistantIn):
    """`PUT /api/assistants/{id}`: the same definition; the id is the address's (another one is refused)."""

    id: SkipJsonSchema[str | None] = None


class Author(BaseModel):
    """Who made the assistant (None for the built-in ones)."""

    id: str
    display_name: str
    email: str


class Definition(BaseModel):
    """What one version of an assistant defines (shared by the assistant and its versions)."""

    name: str
    description: str
    instructions: str
    data_class: DataClass
    models: list[str]
    tools: list[str]
    workflows: list[str]
    knowledge: str | None
    contact: str
    starter_prompts: list[str]
    audience: Audience


class Assistant(Definition):
    """An assistant as its current version defines it, with what the caller may do with it."""

    id: str
    version: int
    builtin: bool
    author: Author | None
    created_at: datetime
    updated_at: datetime
    can_edit: bool = False
    issues: list[Issue] = Field(default_factory=list)


class AssistantVersion(Definition):
    """One immutable version of an assistant."""

    version: int
    created_by: Author | None
    created_at: datetime


class Option(BaseModel):
    """A choice the editor offers (a model, a tool server, a workflow) with its French label."""

    id: str
    label: str


class EditorOptions(BaseModel):
    """`GET /api/assistants/options`: what the editor's pickers may offer to the signed-in user."""

    models: list[Option]
    tools: list[Option]
    workflows: list[Option]
    data_classes: list[Option]
    roles: list[str]
    services: list[str]
