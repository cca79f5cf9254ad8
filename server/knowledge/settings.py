"""What reading one uploaded file may cost (`ARIANE_READING__<NAME>`), a group of the server's `Settings`."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ReadingSettings(BaseModel):
    """Bounds of the child process that parses an uploaded PDF, DOCX, TXT, CSV or XLSX."""

    memory_mb: int = Field(512, ge=64, description="Address-space limit of the reading subprocess.")
    cpu_seconds: int = Field(30, ge=1, description="CPU time the reading subprocess may use.")
    timeout_seconds: float = Field(
        45.0, gt=0, description="Longest a reading may take before its process group is killed."
    )
