"""What a robot is: its inputs, outputs, owner service, who may ask for it and who may approve it."""

from __future__ import annotations

import hashlib
import json
import re
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError
from pydantic import BaseModel, ConfigDict, Field, field_validator

from tools.i18n import Catalogue, Language, Text

CATALOGUE_FILE = Path(__file__).resolve().parent / "catalogue.yaml"


class Risk(StrEnum):
    """How much harm a wrong launch could do; shown to the approver."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class RunnerKind(StrEnum):
    """Where a robot runs."""

    LOCAL = "local"
    UIPATH = "uipath"


class Audience(BaseModel):
    """Users holding one of `roles`, in one of `services` (empty: any service)."""

    model_config = ConfigDict(frozen=True)

    roles: list[str] = Field(min_length=1)
    services: list[str] = Field(default_factory=list)

    def admits(self, roles: list[str], service: str) -> bool:
        """True when a user with these roles and this service belongs to the audience."""
        return bool(set(roles) & set(self.roles)) and (not self.services or service in self.services)

    def label(self) -> str:
        """French description, e.g. « manager (Direction des finances) »."""
        where = f" ({', '.join(self.services)})" if self.services else ""
        return f"{' ou '.join(self.roles)}{where}"

    def people(self, language: Language = "fr") -> str:
        """Who they are in words, e.g. « le personnel de la Direction des finances »."""
        if language == "en":
            who = " or ".join(_PEOPLE_EN.get(role, f"people with role {role}") for role in self.roles)
            return f"{who} of department {' or of department '.join(self.services)}" if self.services else who
        who = " ou ".join(_PEOPLE.get(role, f"les personnes de rôle {role}") for role in self.roles)
        if not self.services:
            return who
        return f"{who} du service {' ou du service '.join(self.services)}"


_PEOPLE_EN = {
    "staff": "the staff",
    "manager": "the managers",
    "direction": "the management board",
    "tool_developer": "the tool developers",
    "ai_admin": "the AI administrators",
    "security": "the information security officer",
    "auditor": "the auditors",
    "health_data": "the people cleared for health data",
}
_PEOPLE = {
    "staff": "le personnel",
    "manager": "les responsables",
    "direction": "la direction",
    "tool_developer": "les développeurs d'outils",
    "ai_admin": "les administrateurs IA",
    "security": "le responsable de la sécurité des SI",
    "auditor": "les auditeurs",
    "health_data": "les personnes habilitées aux données de santé",
}


class RobotSpec(BaseModel):
    """One robot of the catalogue."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")
    name: str = Field(min_length=3, max_length=200)
    description: str = Field(min_length=3, max_length=2000)
    service: str = Field(min_length=2)
    risk: Risk
    keywords: list[str] = Field(default_factory=list)
    input_schema: dict[str, Any]
    outputs: list[str] = Field(default_factory=list)
    requesters: Audience
    approvers: Audience
    runner: RunnerKind
    runner_settings: dict[str, Any] = Field(default_factory=dict)
    enabled: bool = True
    version: int = 1

    @field_validator("input_schema")
    @classmethod
    def _schema_is_valid(cls, schema: dict[str, Any]) -> dict[str, Any]:
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as exc:
            raise ValueError(f"invalid input schema: {exc.message}") from exc
        if schema.get("type") != "object":
            raise ValueError("the input schema must describe an object")
        return schema

    @property
    def timeout_seconds(self) -> float:
        """How long a job may run before it is stopped and failed."""
        return float(self.runner_settings.get("timeout_seconds", 600))


BROAD_ROLES = frozenset({"staff"})
"""Roles every user holds: an audience of approvers made of them would let anyone approve."""
_TASK = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*(/[A-Za-z0-9_][A-Za-z0-9_-]*)*\.robot$")


def definition_errors(spec: RobotSpec) -> list[str]:
    """French reasons why a definition may not be saved.

    Approvers everyone is; a task outside the tasks folder (the local runner refuses those too).
    """
    errors = []
    broad = sorted(BROAD_ROLES & set(spec.approvers.roles))
    if broad:
        errors.append(f"approbateurs : le rôle « {broad[0]} » est celui de tout le monde")
    task = spec.runner_settings.get("task")
    if task is not None and not (isinstance(task, str) and _TASK.match(task)):
        errors.append("tâche : un fichier .robot du dossier des tâches, sans chemin absolu ni « .. »")
    return errors


def definition_digest(spec: RobotSpec) -> str:
    """SHA-256 of a robot's canonical definition (its version excluded): what approvers are shown."""
    payload = json.dumps(
        spec.model_dump(mode="json", exclude={"version"}), sort_keys=True, separators=(",", ":"),
        ensure_ascii=False,
    )  # fmt: skip
    return hashlib.sha256(payload.encode()).hexdigest()


def load_catalogue(path: Path = CATALOGUE_FILE) -> list[RobotSpec]:
    """The robots of a catalogue file (YAML, `robots: [...]`)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [RobotSpec.model_validate(item) for item in data.get("robots", [])]


def input_errors(spec: RobotSpec, inputs: dict[str, Any]) -> list[str]:
    """French descriptions of what is wrong with `inputs` for this robot (empty: valid)."""
    return [str(problem) for problem in input_problems(spec, inputs)]


def input_problems(spec: RobotSpec, inputs: dict[str, Any]) -> list[Text]:
    """What is wrong with `inputs` for this robot, as texts (`INPUT_TEXTS`) to show in either language.

    The validator's own message (JSON Schema's English) is quoted as it is, in parentheses.
    """
    validator = Draft202012Validator(spec.input_schema, format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(inputs), key=lambda error: list(error.absolute_path))
    return [
        INPUT_TEXTS(
            "robot_inputs.problem",
            where=".".join(str(part) for part in error.absolute_path) or INPUT_TEXTS("robot_inputs.whole"),
            kind=INPUT_TEXTS(_KINDS.get(str(error.validator), "robot_inputs.invalid_value")),
            message=error.message,
        )
        for error in errors
    ]


_KINDS = {
    "required": "robot_inputs.required",
    "additionalProperties": "robot_inputs.unknown_field",
    "pattern": "robot_inputs.invalid_format",
    "format": "robot_inputs.invalid_format",
    "enum": "robot_inputs.not_allowed",
    "type": "robot_inputs.invalid_type",
    "minLength": "robot_inputs.too_short",
    "maxLength": "robot_inputs.too_long",
}
# Merged into the server's catalogue, which renders them again when stored (a firing's refusal).
INPUT_TEXT_ENTRIES: dict[str, dict[str, str]] = {
    "robot_inputs.problem": {"fr": "{where} : {kind} ({message})", "en": "{where}: {kind} ({message})"},
    "robot_inputs.whole": {"fr": "entrées", "en": "inputs"},
    "robot_inputs.required": {"fr": "champ obligatoire manquant", "en": "required field missing"},
    "robot_inputs.unknown_field": {"fr": "champ inconnu", "en": "unknown field"},
    "robot_inputs.invalid_format": {"fr": "format invalide", "en": "invalid format"},
    "robot_inputs.not_allowed": {"fr": "valeur non autorisée", "en": "value not allowed"},
    "robot_inputs.invalid_type": {"fr": "type invalide", "en": "invalid type"},
    "robot_inputs.too_short": {"fr": "trop court", "en": "too short"},
    "robot_inputs.too_long": {"fr": "trop long", "en": "too long"},
    "robot_inputs.invalid_value": {"fr": "valeur invalide", "en": "invalid value"},
}
INPUT_TEXTS = Catalogue(INPUT_TEXT_ENTRIES)


def canonical_inputs(inputs: dict[str, Any]) -> str:
    """The one JSON text of `inputs` that digests are computed over (sorted keys, no spaces)."""
    return json.dumps(inputs, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def inputs_digest(robot: str, inputs: dict[str, Any]) -> str:
    """SHA-256 of the robot id and its canonical inputs: what an approval binds."""
    payload = f"{robot}\n{canonical_inputs(inputs)}".encode()
    return hashlib.sha256(payload).hexdigest()
