"""The sample DPI (dossier patient informatisé) behind the local tenant: `/dpi-api`, DPI key required.

Patients (identity, birth date, IPP) and their stays (NDA, unit, dates) come from
`data/systems/dpi/patients.json`; documents filed into a stay are appended to a JSON-lines file under
the tenant's data folder. Filing is idempotent on the caller's document key: the same key again
answers the document already filed, never a second one.
"""

from __future__ import annotations

import hmac
import json
import re
import threading
import unicodedata
import uuid
from datetime import UTC, datetime
from difflib import SequenceMatcher
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

PATIENTS_FILE = Path(__file__).resolve().parent / "data" / "systems" / "dpi" / "patients.json"
DOCUMENT_TYPES = {"biologie", "hospitalisation", "consultation", "imagerie", "autre"}


def _key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z]+", " ", ascii_text).strip()


class PatientSearch(BaseModel):
    """What the caller knows of the patient; any one is enough."""

    ipp: str | None = Field(None, max_length=20)
    nom: str | None = Field(None, max_length=120)
    prenom: str | None = Field(None, max_length=120)
    date_naissance: str | None = Field(None, max_length=10)


class DocumentIn(BaseModel):
    """A document to file into a patient's stay."""

    ipp: str = Field(max_length=20)
    nda: str = Field(max_length=20)
    type: str = Field(max_length=30)
    date: str = Field(max_length=10)
    auteur: str = Field("", max_length=200)
    titre: str = Field(max_length=300)
    media_type: str = Field(max_length=100)
    digest: str = Field(max_length=80)
    content_base64: str = Field(max_length=40_000_000)
    filed_by: str = Field(max_length=200)


class Dpi:
    """The sample DPI's data: patients read at start, documents in an append-only file."""

    def __init__(self, folder: Path, patients_file: Path = PATIENTS_FILE) -> None:
        self.patients: list[dict[str, Any]] = json.loads(patients_file.read_text(encoding="utf-8"))[
            "patients"
        ]
        self.file = folder / "dpi-documents.jsonl"
        self._lock = threading.Lock()

    def search(self, query: PatientSearch) -> list[dict[str, Any]]:
        """Patients sharing the IPP or the birth date, or whose name is close (accents ignored)."""
        found = []
        for patient in self.patients:
            names = [patient["nom"], patient.get("nom_naissance") or ""]
            close = (
                bool(query.nom)
                and max(SequenceMatcher(None, _key(query.nom or ""), _key(name)).ratio() for name in names)
                >= 0.7
            )
            if (
                (query.ipp and query.ipp == patient["ipp"])
                or (query.date_naissance and query.date_naissance == patient["date_naissance"])
                or close
            ):
                found.append(patient)
        return found[:20]

    def documents(self) -> list[dict[str, Any]]:
        """Every filed document (without its content), oldest first."""
        if not self.file.is_file():
            return []
        lines = self.file.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line]

    def file_document(self, key: str, body: DocumentIn) -> tuple[dict[str, Any], bool]:
        """File once per key; (the document, whether it was filed now)."""
        patient = next((p for p in self.patients if p["ipp"] == body.ipp), None)
        if patient is None:
            raise HTTPException(404, f"Patient inconnu du DPI : IPP {body.ipp}.")
        if body.nda not in {stay["nda"] for stay in patient["stays"]}:
            raise HTTPException(422, f"Le séjour {body.nda} n'appartient pas au patient {body.ipp}.")
        if body.type not in DOCUMENT_TYPES:
            raise HTTPException(422, f"Type de document inconnu : {body.type}.")
        with self._lock:
            existing = next((doc for doc in self.documents() if doc["key"] == key), None)
            if existing is not None:
                return existing, False
            record = {
                "id": f"DOC-{uuid.uuid4().hex[:10]}",
                "key": key,
                "filed_at": datetime.now(UTC).isoformat(),
                **body.model_dump(exclude={"content_base64"}),
                "size": len(body.content_base64) * 3 // 4,
            }
            self.file.parent.mkdir(parents=True, exist_ok=True)
            with self.file.open("a", encoding="utf-8") as sink:
                sink.write(json.dumps(record, ensure_ascii=False) + "\n")
        return record, True


def dpi_router(dpi: Dpi, key: str) -> APIRouter:
    """The DPI's routes; every call must present the DPI key (header `X-Dpi-Key`)."""

    def authorised(x_dpi_key: Annotated[str | None, Header()] = None) -> None:
        if not x_dpi_key or not hmac.compare_digest(x_dpi_key, key):
            raise HTTPException(401, "Clé du DPI absente ou invalide.")

    router = APIRouter(prefix="/dpi-api", dependencies=[Depends(authorised)])

    @router.post("/patients/search")
    def search_patients(body: PatientSearch) -> list[dict[str, Any]]:
        return dpi.search(body)

    @router.get("/patients/{ipp}")
    def get_patient(ipp: str) -> dict[str, Any]:
        patient = next((p for p in dpi.patients if p["ipp"] == ipp), None)
        if patient is None:
            raise HTTPException(404, f"Patient inconnu du DPI : IPP {ipp}.")
        return patient | {"documents": [doc for doc in dpi.documents() if doc["ipp"] == ipp]}

    @router.get("/documents")
    def list_documents() -> list[dict[str, Any]]:
        return dpi.documents()

    @router.put("/documents/{document_key}")
    def file_document(document_key: str, body: DocumentIn) -> JSONResponse:
        record, created = dpi.file_document(document_key, body)
        return JSONResponse(record, status_code=201 if created else 200)

    return router
