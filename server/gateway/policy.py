"""The model catalogue and usage policy: one YAML document, validated by pydantic.

The document is the default shipped in the repository (`policy.yaml` beside this module) or a version
saved by an AI administrator. Every cross reference (rule → model, fallback → model, model → provider)
is checked when the document is validated, so that a policy that loads is a policy that can be
evaluated; one that does not load leaves the gateway closed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from server.auth.roles import Role
from server.gateway.policy_issues import (
    Location,
    ReferenceErrors,
    TextError,
    line_of,
    located_texts,
    yaml_text,
)
from server.messages import MESSAGES
from tools.i18n import Language, Text


class DataClass(StrEnum):
    """Sensitivity of what a request carries, from least to most sensitive."""

    PUBLIC = "public"
    INTERNAL = "internal"
    PERSONAL = "personal"
    HEALTH = "health"

    @property
    def rank(self) -> int:
        """Position in the sensitivity order (public = 0)."""
        return list(DataClass).index(self)

    @property
    def label(self) -> str:
        """French name shown to users (« données de santé »)."""
        return str(self.text)

    @property
    def text(self) -> Text:
        """The name, rendered in the reader's language."""
        return MESSAGES(f"gateway.data_class.{self.value}")


def most_sensitive(*classes: DataClass) -> DataClass:
    """The most sensitive of `classes`."""
    return max(classes, key=lambda data_class: data_class.rank)


class Hosting(StrEnum):
    """Where a model runs: a certified health-data host, the hospital, the EU, or elsewhere."""

    HDS = "hds"
    ON_PREM = "on_prem"
    EU_CLOUD = "eu_cloud"
    NON_EU = "non_eu"


def hosting_text(hosting: Hosting) -> Text:
    """Where a model runs, rendered in the reader's language."""
    return MESSAGES(f"gateway.hosting.{hosting.value}")


HOSTING_LABELS = {hosting: str(hosting_text(hosting)) for hosting in Hosting}  # in French


class ProviderKind(StrEnum):
    """How the gateway talks to a provider."""

    OPENAI_COMPATIBLE = "openai_compatible"
    AZURE_OPENAI = "azure_openai"
    LOCAL = "local"


class ModelKind(StrEnum):
    """What a model does."""

    CHAT = "chat"
    EMBEDDING = "embedding"


_NAME = r"^[a-z0-9][a-z0-9._:/@-]*$"
Name = Annotated[str, Field(pattern=_NAME, max_length=128)]


def canonical_name(raw: str) -> str:
    """A model or assistant name as the gateway compares it: NFKC, trimmed, case-folded.

    Two spellings that differ only by case, width or surrounding spaces are the same name, so that
    no spelling reaches a model under rules other than its own.
    """
    return unicodedata.normalize("NFKC", raw).strip().casefold()


def is_well_formed(name: str) -> bool:
    """True when a canonical name only holds the characters model names use."""
    return re.fullmatch(_NAME, name) is not None and len(name) <= 128


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Provider(_Strict):
    """An upstream: where it is and how to reach it. Keys are never in the policy, only in settings."""

    kind: ProviderKind = ProviderKind.OPENAI_COMPATIBLE
    system: str = Field(
        "openai", description="`gen_ai.provider.name` on traces (openai, mistral_ai, azure.ai.openai…)."
    )
    base_url: str | None = Field(None, description="Unset: the provider is declared but not configured.")
    api_version: str | None = Field(None, description="Azure OpenAI `api-version`.")
    headers: dict[str, str] = Field(default_factory=dict)
    timeout_seconds: float = Field(60.0, gt=0, le=600)
    connect_timeout_seconds: float = Field(5.0, gt=0, le=60)
    max_retries: int = Field(1, ge=0, le=5)
    stream_usage: bool = Field(
        True, description="Ask the upstream for the usage chunk when streaming (metering)."
    )


class Capabilities(_Strict):
    """What a model can do."""

    tools: bool = False
    streaming: bool = True
    json_schema: bool = False
    context_tokens: int = Field(8192, gt=0)
    dimensions: int | None = Field(None, gt=0, description="Embedding models: vector size.")


class Prices(_Strict):
    """Cost in euros per million tokens."""

    input_per_million: float = Field(0.0, ge=0)
    output_per_million: float = Field(0.0, ge=0)


class Model(_Strict):
    """One entry of the catalogue."""

    id: Name
    label: str = ""
    kind: ModelKind = ModelKind.CHAT
    provider: Name
    upstream_name: str = Field(min_length=1, description="Model (or Azure deployment) name upstream.")
    hosting: Hosting
    data_classes: list[DataClass] = Field(min_length=1)
    aliases: list[Name] = Field(default_factory=list)
    capabilities: Capabilities = Capabilities()
    prices: Prices = Prices()
    fallbacks: list[Name] = Field(default_factory=list, description="Tried in order on upstream failure.")

    @model_validator(mode="after")
    def _health_needs_hds(self) -> Model:
        if DataClass.HEALTH in self.data_classes and self.hosting not in (Hosting.HDS, Hosting.ON_PREM):
            raise TextError(MESSAGES("policy.health_needs_hds", model=self.id))
        return self


class Rule(_Strict):
    """Who may use which models for which data. Empty `roles`/`services`/`assistants` match anyone."""

    id: Name
    description: str = ""
    roles: list[Role] = Field(default_factory=list)
    services: list[str] = Field(default_factory=list)
    assistants: list[Name] = Field(default_factory=list)
    models: list[Name] = Field(min_length=1)
    data_classes: list[DataClass] = Field(default_factory=lambda: list(DataClass))


class Assistant(_Strict):
    """An assistant's declared sensitivity: the floor of every request it makes."""

    data_class: DataClass


class Quotas(_Strict):
    """Tokens per day (Europe/Paris); `null` means unlimited."""

    user_tokens_per_day: int | None = Field(200_000, gt=0)
    service_tokens_per_day: int | None = Field(2_000_000, gt=0)
    users: dict[str, int] = Field(default_factory=dict, description="Per-user overrides (email).")
    services: dict[str, int] = Field(default_factory=dict, description="Per-service overrides.")


class Clamps(_Strict):
    """Bounds applied to every completion request."""

    max_tokens: int = Field(4096, gt=0)
    temperature_min: float = Field(0.0, ge=0, le=2)
    temperature_max: float = Field(1.0, ge=0, le=2)


class Policy(_Strict):
    """The whole document: catalogue, rules, assistants, quotas, clamps."""

    schema_version: Literal[1] = 1
    default_data_class: DataClass = DataClass.INTERNAL
    reroute_to_allowed_model: bool = Field(
        False, description="Send a request to another allowed model that may receive its data class."
    )
    providers: dict[Name, Provider]
    models: list[Model]
    rules: list[Rule]
    assistants: dict[Name, Assistant] = Field(default_factory=dict)
    quotas: Quotas = Quotas()
    clamps: Clamps = Clamps()

    @model_validator(mode="after")
    def _references(self) -> Policy:
        issues = _name_clashes(self.models)
        ids = {model.id for model in self.models}
        for m, model in enumerate(self.models):
            if model.provider not in self.providers:
                text = MESSAGES("policy.unknown_provider", model=model.id, provider=model.provider)
                issues.append((("models", m, "provider"), text))
            issues += [
                (
                    ("models", m, "fallbacks", f),
                    MESSAGES("policy.unknown_fallback", model=model.id, name=name),
                )
                for f, name in enumerate(model.fallbacks)
                if name not in ids
            ]
        for r, rule in enumerate(self.rules):
            issues += [
                (("rules", r, "models", i), MESSAGES("policy.unknown_model", rule=rule.id, name=name))
                for i, name in enumerate(rule.models)
                if name not in ids
            ]
        rule_ids = [rule.id for rule in self.rules]
        issues += [
            (
                ("rules", len(rule_ids) - 1 - rule_ids[::-1].index(rid), "id"),
                MESSAGES("policy.rule_twice", rule=rid),
            )
            for rid in sorted({r for r in rule_ids if rule_ids.count(r) > 1})
        ]
        if self.clamps.temperature_min > self.clamps.temperature_max:
            issues.append((("clamps", "temperature_min"), MESSAGES("policy.temperature_order")))
        if issues:
            raise ReferenceErrors(issues)
        return self

    def model(self, model_id: str) -> Model:
        """The catalogue entry of a canonical id (KeyError when absent)."""
        return next(model for model in self.models if model.id == model_id)


def _name_clashes(models: list[Model]) -> list[tuple[Location, Text]]:
    owners: dict[str, list[int]] = {}
    for index, model in enumerate(models):
        for name in dict.fromkeys([model.id, *model.aliases]):
            owners.setdefault(name, []).append(index)
    return [
        (
            ("models", indexes[-1]),
            MESSAGES("policy.name_clash", name=name, models=", ".join(models[i].id for i in indexes)),
        )
        for name, indexes in owners.items()
        if len(indexes) > 1
    ]


@dataclass(frozen=True)
class PolicyIssue:
    """One problem where the editor can show it.

    `path` is its place in the document (keys and list indexes); `line` the 1-based line of the node
    it designates (or of a YAML syntax error); `message` the French text, `text` the same to render in
    another language.
    """

    path: Location
    message: str
    line: int | None = None
    text: Text | None = field(default=None, compare=False)

    def render(self, language: Language) -> str:
        """The message in `language`."""
        return self.text.render(language) if self.text is not None else self.message

    def described(self, language: Language) -> str:
        """The problem with where it is: « Ligne 12, rules[0].models[0] : … »."""
        located = self.located()
        return located.render(language) if isinstance(located, Text) else located

    def located(self) -> Text | str:
        """The problem with where it is, as a text to render in the reader's language."""
        where, message = _path_label(self.path), self.text or self.message
        if self.line and where:
            return MESSAGES("policy.at_line_path", line=self.line, path=where, message=message)
        if self.line:
            return MESSAGES("policy.at_line", line=self.line, message=message)
        return MESSAGES("policy.at_path", path=where, message=message) if where else message


def _path_label(path: Location) -> str:
    """`("rules", 2, "models")` → `rules[2].models`, as the editor writes it."""
    label = ""
    for part in path:
        label += f"[{part}]" if isinstance(part, int) else f".{part}" if label else str(part)
    return label


class PolicyError(ValueError):
    """A policy document that cannot be used; `errors` lists each problem (French) for the administrator.

    `issues` gives the same problems one by one, each with where it is in the document.
    """

    def __init__(self, issues: list[PolicyIssue]) -> None:
        self.issues = issues
        self.errors = self.errors_in("fr")
        super().__init__("; ".join(self.errors))

    def errors_in(self, language: Language) -> list[str]:
        """Each problem with its place, in `language`."""
        return [issue.described(language) for issue in self.issues]


def parse_policy(text: str) -> Policy:
    """Validate a YAML policy document.

    Raises:
        PolicyError: the YAML does not parse or the document is not a valid policy.
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise PolicyError([_issue((), yaml_text(exc), line)]) from exc
    if not isinstance(data, dict):
        raise PolicyError([_issue((), MESSAGES("policy.not_mapping"), None)])
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        issues = [
            _issue(path, message, line_of(text, path))
            for error in exc.errors()
            for path, message in located_texts(dict(error))
        ]
        raise PolicyError(issues) from exc


def _issue(path: Location, text: Text, line: int | None) -> PolicyIssue:
    return PolicyIssue(path, str(text), line, text)
