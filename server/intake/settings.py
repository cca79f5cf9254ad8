"""Settings of the intake (`ARIANE_INTAKE__<NAME>`), one group of the server's `Settings`."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field, SecretStr


class IntakeSettings(BaseModel):
    """Courrier entrant: limits on scans, OCR, retries, the DPI, the drop folder."""

    threshold: float = Field(
        0.9,
        ge=0.5,
        le=1.0,
        description="Default confidence above which a document is integrated without validation "
        "(an administrator's value, set in the app, wins).",
    )
    max_upload_bytes: int = Field(20 * 1024 * 1024, gt=0, description="Largest scan accepted (413 above).")
    max_pages: int = Field(10, ge=1, le=100, description="Most pages a scan may have.")
    max_pixels: int = Field(
        40_000_000, gt=0, description="Most pixels of one page image (decompression-bomb guard)."
    )
    tesseract: str = Field("tesseract", description="Tesseract command (Debian's `tesseract-ocr`).")
    language: str = Field("fra", description="Tesseract language (`tesseract-ocr-fra`).")
    ocr_timeout_seconds: float = Field(120.0, gt=0, description="Longest a scan's reading may take.")
    ocr_memory_mb: int = Field(1536, ge=256, description="Memory limit of the reading subprocess.")
    poll_seconds: float = Field(
        2.0, gt=0, description="How often the scanner's drop folder is looked at (by one worker at a time)."
    )
    max_attempts: int = Field(
        3, ge=1, description="Attempts of a step (retried with back-off) before the document is `failed`."
    )
    retry_seconds: float = Field(
        5.0, gt=0, description="Back-off before a failed step is tried again (times the attempt number)."
    )
    dpi_url: str | None = Field(
        None, description="Base URL of the DPI's intake API; unset: the sample DPI of the local tenant."
    )
    dpi_key: SecretStr = Field(
        SecretStr("ariane-dpi-local-key"), description="Key presented to the DPI (`X-Dpi-Key`)."
    )
    dpi_timeout_seconds: float = Field(15.0, gt=0, description="Timeout of one DPI request.")
    drop_dir: Path | None = Field(
        None, description="The scanner's drop folder, watched for new files; unset: not watched."
    )
