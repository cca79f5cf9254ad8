"""What reading one untrusted file may cost, a group of settings.

`ARIANE_READING__<NAME>` in the server's `Settings`, `ARIANE_MCP_READING__<NAME>` for a tool server
run alone (`tools.mcp_common.settings`).
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class ReadingSettings(BaseModel):
    """Bounds of the child process that parses a file (uploaded, attached, or read from SharePoint)."""

    memory_mb: int = Field(512, ge=64, description="Address-space limit of the reading subprocess.")
    cpu_seconds: int = Field(30, ge=1, description="CPU time the reading subprocess may use.")
    timeout_seconds: float = Field(
        45.0, gt=0, description="Longest a reading may take before its process group is killed."
    )
