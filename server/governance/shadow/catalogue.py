"""The catalogue of public generative-AI services, and matching a host name against it.

A host matches a service's domain when it is that domain or one of its sub-domains; the longest
matching domain wins, so `api.openai.com` can be a service of its own beside `openai.com`.
Matching walks the host's suffixes (at most a handful of dictionary look-ups), and remembers each
host it saw: a proxy log repeats few hosts many times.
"""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

DEFAULT_FILE = Path(__file__).resolve().parent / "catalogue.yaml"
_DOMAIN = r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$"
_HOSTS_REMEMBERED = 200_000


class ServiceKind(StrEnum):
    """What kind of generative-AI service it is (French labels in the web app)."""

    CHAT = "assistant_conversationnel"
    SEARCH = "moteur_de_recherche_ia"
    API = "api"
    AGGREGATOR = "agregateur_de_modeles"
    WRITING = "traduction_redaction"
    IMAGES = "generation_d_images"
    SLIDES = "generation_de_presentations"
    OTHER = "autre"


class AiService(BaseModel):
    """One public generative-AI service and the host names that reach it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
    name: Annotated[str, Field(min_length=1, max_length=120)]
    provider: Annotated[str, Field(min_length=1, max_length=120)]
    kind: ServiceKind
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166 code of the provider.")]
    domains: list[Annotated[str, Field(pattern=_DOMAIN, max_length=253)]] = Field(min_length=1)


EU_COUNTRIES = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()
)


class ShadowCatalogue(BaseModel):
    """The whole document."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1] = 1
    services: list[AiService] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> ShadowCatalogue:
        errors: list[str] = []
        ids = [service.id for service in self.services]
        errors += [f"service {i}: declared twice" for i in sorted({i for i in ids if ids.count(i) > 1})]
        owners: dict[str, str] = {}
        for service in self.services:
            for domain in service.domains:
                if domain in owners and owners[domain] != service.id:
                    errors.append(f"domain {domain}: claimed by {owners[domain]} and {service.id}")
                owners[domain] = service.id
        if errors:
            raise ValueError("; ".join(errors))
        return self

    def service(self, service_id: str) -> AiService | None:
        """The service with this id, if any."""
        return next((service for service in self.services if service.id == service_id), None)


class CatalogueError(ValueError):
    """A catalogue document that cannot be used; `errors` lists each problem."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def parse_catalogue(text: str) -> ShadowCatalogue:
    """Validate a YAML catalogue.

    Raises:
        CatalogueError: the YAML does not parse or is not a valid catalogue.
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogueError([f"YAML : {exc}"]) from exc
    if not isinstance(data, dict):
        raise CatalogueError(["le document doit être un dictionnaire YAML"])
    try:
        return ShadowCatalogue.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"])
            message = str(error["msg"]).removeprefix("Value error, ")
            problems.append(f"{where} : {message}" if where else message)
        raise CatalogueError(problems) from exc


def default_document() -> str:
    """The catalogue shipped with Ariane (version 0)."""
    return DEFAULT_FILE.read_text(encoding="utf-8")


class HostMatcher:
    """Which service a host name belongs to, by its longest matching domain."""

    def __init__(self, catalogue: ShadowCatalogue) -> None:
        self._domains = {domain: service.id for service in catalogue.services for domain in service.domains}
        self._seen: dict[str, str | None] = {}

    def match(self, host: str) -> str | None:
        """The service id of `host` (lower case, no port), or None when it is no AI service."""
        found = self._seen.get(host, "")
        if found != "":
            return found
        service = None
        name = host
        while True:
            service = self._domains.get(name)
            if service is not None:
                break
            dot = name.find(".")
            if dot < 0:
                break
            name = name[dot + 1 :]
        if len(self._seen) >= _HOSTS_REMEMBERED:
            self._seen.clear()
        self._seen[host] = service
        return service


_HOST = re.compile(r"^[a-z0-9.-]+$")


def host_of(target: str) -> str | None:
    """The host name of a proxy log's target: a URL, `host:port` (CONNECT) or a bare host."""
    value = target.strip().lower()
    if "://" in value:
        value = value.split("://", 1)[1]
    for stop in "/?#":
        cut = value.find(stop)
        if cut >= 0:
            value = value[:cut]
    at = value.rfind("@")
    if at >= 0:
        value = value[at + 1 :]
    if value.startswith("["):  # an IPv6 literal: never a catalogue domain
        return None
    colon = value.find(":")
    if colon >= 0:
        value = value[:colon]
    value = value.rstrip(".")
    if not value or not _HOST.match(value):
        return None
    return value
