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
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from server.messages import MESSAGES
from tools.i18n import Text, joined

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
        ids = [service.id for service in self.services]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        errors = [MESSAGES("governance.catalogue.declared_twice", service=i) for i in twice]
        owners: dict[str, str] = {}
        for service in self.services:
            for domain in service.domains:
                if domain in owners and owners[domain] != service.id:
                    owner = owners[domain]
                    errors.append(
                        MESSAGES(
                            "governance.catalogue.domain_taken",
                            domain=domain,
                            owner=owner,
                            service=service.id,
                        )
                    )
                owners[domain] = service.id
        if errors:
            raise _UniquenessError(joined(errors, MESSAGES("governance.catalogue.separator")))
        return self

    def service(self, service_id: str) -> AiService | None:
        """The service with this id, if any."""
        return next((service for service in self.services if service.id == service_id), None)


class _UniquenessError(ValueError):
    """Services or domains declared twice, told by a catalogue text (pydantic keeps it in `ctx`)."""

    def __init__(self, text: Text) -> None:
        super().__init__(str(text))
        self.text = text


class CatalogueError(ValueError):
    """A catalogue document that cannot be used; `errors` lists each problem."""

    def __init__(self, errors: list[Text]) -> None:
        super().__init__("; ".join(map(str, errors)))
        self.errors = errors


def parse_catalogue(text: str) -> ShadowCatalogue:
    """Validate a YAML catalogue.

    Raises:
        CatalogueError: the YAML does not parse or is not a valid catalogue.
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogueError([MESSAGES("governance.catalogue.yaml", error=str(exc))]) from exc
    if not isinstance(data, dict):
        raise CatalogueError([MESSAGES("governance.catalogue.not_a_mapping")])
    return validated(data)


def validated(data: dict[str, Any]) -> ShadowCatalogue:
    """A catalogue from its data, each problem told in French or English (a catalogue text).

    Raises:
        CatalogueError: the data is not a valid catalogue.
    """
    try:
        return ShadowCatalogue.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"])
            message = _said(error)
            problems.append(
                MESSAGES("governance.catalogue.at", where=where, message=message) if where else message
            )
        raise CatalogueError(problems) from exc


_FIELD_FORMATS = ("id", "country", "domains")  # governance.catalogue.format.*
_KINDS = {  # pydantic's error types → governance.catalogue.*
    "missing": "required",
    "extra_forbidden": "unknown_field",
    "too_short": "empty",
    "string_too_short": "empty",
    "too_long": "too_long",
    "string_too_long": "too_long",
    "literal_error": "schema_version",
}


def _said(error: Any) -> Text:
    """A pydantic error in the reader's language (the web app shows it to the AI administrator)."""
    kind = str(error["type"])
    field = next((str(part) for part in reversed(error["loc"]) if isinstance(part, str)), "")
    if kind == "value_error":  # the catalogue's own checks (`_unique`), with their catalogue text
        raised = error.get("ctx", {}).get("error")
        if isinstance(raised, _UniquenessError):
            return raised.text
        return MESSAGES("governance.catalogue.as_is", message=str(error["msg"]).removeprefix("Value error, "))
    if kind == "string_pattern_mismatch":
        shape = field if field in _FIELD_FORMATS else "plain"
        form = MESSAGES(f"governance.catalogue.format.{shape}")
        return MESSAGES("governance.catalogue.format", format=form)
    if kind == "enum":
        expected = ", ".join(k.value for k in ServiceKind)
        return MESSAGES("governance.catalogue.unknown_value", expected=expected)
    return MESSAGES(f"governance.catalogue.{_KINDS.get(kind, 'invalid')}")


def with_service(catalogue: ShadowCatalogue, service_id: str, fields: dict[str, Any]) -> ShadowCatalogue:
    """The catalogue with the service `service_id` added, or replaced in place.

    Raises:
        CatalogueError: the service or the catalogue it makes is invalid.
    """
    entry = {**fields, "id": service_id}
    services = [service.model_dump(mode="json") for service in catalogue.services]
    at = next((i for i, service in enumerate(catalogue.services) if service.id == service_id), None)
    if at is None:
        services.append(entry)
    else:
        services[at] = entry
    return validated({"schema_version": 1, "services": services})


def without_service(catalogue: ShadowCatalogue, service_id: str) -> ShadowCatalogue | None:
    """The catalogue without the service `service_id`; None when it has no such service.

    Raises:
        CatalogueError: it was the last service (a catalogue names at least one).
    """
    if catalogue.service(service_id) is None:
        return None
    kept = [service.model_dump(mode="json") for service in catalogue.services if service.id != service_id]
    return validated({"schema_version": 1, "services": kept})


_HEADER = (
    "# Ariane — catalogue of public generative-AI services, for the shadow-AI reports.\n"
    "# Saved from the Gouvernance page's catalogue editor; earlier versions are kept in the database.\n"
)


def dump(catalogue: ShadowCatalogue) -> str:
    """The catalogue as a YAML document (one service per block, as the shipped file is written)."""
    data = catalogue.model_dump(mode="json")
    return _HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)


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
