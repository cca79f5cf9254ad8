"""The sample systems robots act on, behind the local tenant (`/robot-api`, robots' key required).

Stand-ins for the hospital's security ticketing, directory password reset, antivirus console, text
message gateway and accreditation queue. Each record is appended to a JSON-lines file under the
tenant's data folder, so that what a robot did can be checked after the fact.
"""

from __future__ import annotations

import hmac
import json
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException
from pydantic import BaseModel, Field

from tools.tenant.directory import Directory

APPLICATIONS = {"DxCare", "Pastel", "GAM", "PeopleDoc", "Sillage", "Cora"}


class SystemsLog:
    """Append-only JSON-lines files, one per sample system."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()

    def append(self, system: str, record: dict[str, Any]) -> dict[str, Any]:
        """Store `record` with an id and a timestamp; return it."""
        record = {"id": f"{system[:3].upper()}-{uuid.uuid4().hex[:8]}", "at": _now()} | record
        with self._lock:
            self.folder.mkdir(parents=True, exist_ok=True)
            with (self.folder / f"{system}.jsonl").open("a", encoding="utf-8") as sink:
                sink.write(json.dumps(record, ensure_ascii=False) + "\n")
        return record

    def read(self, system: str) -> list[dict[str, Any]]:
        """Every record of a system, oldest first."""
        path = self.folder / f"{system}.jsonl"
        if not path.is_file():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _now() -> str:
    return datetime.now(UTC).isoformat()


class IncidentIn(BaseModel):
    """A security incident to declare."""

    account: str
    source: str = Field(max_length=200)
    kind: str = Field(max_length=60)


class PasswordResetIn(BaseModel):
    """A password reset."""

    revoke_sessions: bool = True


class ScanIn(BaseModel):
    """An antivirus scan to queue."""

    account: str
    scope: str = Field(max_length=60)


class SmsIn(BaseModel):
    """A text message to send."""

    account: str
    text: str = Field(max_length=320)


class AccessRequestIn(BaseModel):
    """An application access request."""

    beneficiaire: str
    application: str
    profil: str = Field(max_length=60)
    motif: str = Field("", max_length=300)
    requested_by: str


SYSTEMS = {"incidents", "password-resets", "antivirus-scans", "sms-outbox", "access-requests"}


def _reader(log: SystemsLog) -> Any:
    def read_system(system: str) -> list[dict[str, Any]]:
        """What a sample system has recorded (for checks after a robot ran)."""
        if system not in SYSTEMS:
            raise HTTPException(404, "Système inconnu.")
        return log.read(system)

    return read_system


def robot_router(directory: Directory, log: SystemsLog, key: str) -> APIRouter:
    """The robot-facing routes; every call must present the robots' key."""

    def authorised(x_robot_key: Annotated[str | None, Header()] = None) -> None:
        if not x_robot_key or not hmac.compare_digest(x_robot_key, key):
            raise HTTPException(401, "Clé de robot absente ou invalide.")

    router = APIRouter(prefix="/robot-api", dependencies=[Depends(authorised)])

    def known(account: str) -> Any:
        user = directory.user_by_mail(account)
        if user is None:
            raise HTTPException(404, f"Compte inconnu de l'annuaire : {account}.")
        return user

    @router.post("/incidents")
    def declare_incident(body: IncidentIn) -> dict[str, Any]:
        known(body.account)
        return log.append("incidents", body.model_dump() | {"status": "ouvert"})

    @router.post("/users/{account}/password-reset")
    def reset_password(account: str, body: PasswordResetIn) -> dict[str, Any]:
        user = known(account)
        record = log.append(
            "password-resets", {"account": user.mail, "revoke_sessions": body.revoke_sessions}
        )
        return record | {"reset_at": record["at"], "must_change_password": True}

    @router.post("/antivirus-scans")
    def queue_scan(body: ScanIn) -> dict[str, Any]:
        known(body.account)
        return log.append("antivirus-scans", body.model_dump() | {"status": "en_file"})

    @router.post("/sms")
    def send_sms(body: SmsIn) -> dict[str, Any]:
        user = known(body.account)
        # Fictional work numbers in the range reserved for fiction (06 39 98 xx xx).
        number = f"+33 6 39 98 {int(user.id[:4], 16) % 100:02d} {int(user.id[4:8], 16) % 100:02d}"
        return log.append("sms-outbox", {"account": user.mail, "to": number, "text": body.text})

    @router.post("/access-requests")
    def file_access_request(body: AccessRequestIn) -> dict[str, Any]:
        known(body.beneficiaire)
        if body.application not in APPLICATIONS:
            raise HTTPException(422, f"Application inconnue : {body.application}.")
        return log.append("access-requests", body.model_dump() | {"status": "a_traiter"})

    router.add_api_route("/{system}", _reader(log), methods=["GET"])

    return router
