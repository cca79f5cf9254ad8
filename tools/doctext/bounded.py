"""Reading untrusted bytes in a bounded child process, a few at a time per process.

A PDF or DOCX is parsed by libraries that a crafted file can keep busy for minutes or make inflate
gigabytes; in a server's process that would block every request and could exhaust the pod. So each
reader of untrusted bytes (an uploaded or attached file, a batch table, a scan's OCR, a SharePoint
document) runs as a child process started by `run_bounded`: its own process group, bounded address
space, CPU time and file sizes, killed at a timeout. `read_bounded` runs such a reader (`python -m
<module>`, one JSON object on its standard output); `sections_bounded` is the one for PDF and DOCX
sections (`tools.doctext.reader`), which the documents tool uses.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import resource
import signal
import sys
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from tools.doctext.extract import DocumentFormatError, DocumentTooLongError, Section
from tools.doctext.settings import ReadingSettings

# Readers at once in one process (uploads, tables, OCR and SharePoint documents alike): each may use
# up to its memory limit, so this bounds what hostile files can take of the pod together.
READING_SLOTS = 2
_SLOTS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = weakref.WeakKeyDictionary()


class DocumentTooComplexError(Exception):
    """The reader ran out of time or memory, or died any other way: the file costs too much to read."""


@dataclass(frozen=True)
class ReadingLimits:
    """What reading one file may cost; `max_pages`/`max_chars` bound a PDF (None: no bound)."""

    memory_mb: int = 512
    cpu_seconds: int = 30
    timeout_seconds: float = 45.0
    max_pages: int | None = None
    max_chars: int | None = None

    @classmethod
    def of(
        cls, settings: ReadingSettings, *, max_pages: int | None = None, max_chars: int | None = None
    ) -> ReadingLimits:
        """The operator's bounds (`ARIANE_READING__*`) with a use's own caps on a PDF."""
        return cls(
            memory_mb=settings.memory_mb,
            cpu_seconds=settings.cpu_seconds,
            timeout_seconds=settings.timeout_seconds,
            max_pages=max_pages,
            max_chars=max_chars,
        )


@asynccontextmanager
async def reading_slot() -> AsyncIterator[None]:
    """Hold one of the process's reading slots (one semaphore per event loop, in practice one)."""
    loop = asyncio.get_running_loop()
    slots = _SLOTS.get(loop)
    if slots is None:
        slots = _SLOTS[loop] = asyncio.Semaphore(READING_SLOTS)
    async with slots:
        yield


def _limits(memory_bytes: int, cpu_seconds: int) -> Any:
    def apply() -> None:  # runs in the child, before exec
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
        resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024 * 1024, 256 * 1024 * 1024))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


async def run_bounded(
    command: list[str], data: bytes, *, memory_bytes: int, cpu_seconds: int, timeout_seconds: float
) -> tuple[bytes, int | None]:
    """Run a reader of untrusted bytes: `data` on its stdin, its stdout and exit status back.

    The child has its own session and bounded address space, CPU time and file sizes, and an
    environment without secrets or proxies. Past `timeout_seconds` its whole process group is killed.

    Raises:
        TimeoutError: the child did not finish in time (it is dead when this is raised).
    """
    process = await asyncio.create_subprocess_exec(
        *command,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        # Only what the reader needs: no secrets, no proxies; one OCR thread (the machine is shared).
        env={"OMP_THREAD_LIMIT": "1", "LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"},
        start_new_session=True,
        preexec_fn=_limits(memory_bytes, cpu_seconds),
    )
    try:
        out, _ = await asyncio.wait_for(process.communicate(data), timeout_seconds)
    except (TimeoutError, asyncio.CancelledError):  # a cancelled request leaves no reader behind
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        await process.wait()
        raise
    return out, process.returncode


async def read_bounded(
    module: str, arguments: list[str], data: bytes, limits: ReadingLimits
) -> dict[str, Any]:
    """The JSON object `python -m <module> <arguments>` prints for `data`, run within `limits`.

    The caller holds a reading slot. Arguments should be written `--name=value`, so that a value
    starting with `-` stays a value.

    Raises:
        DocumentTooComplexError: the reader was killed (time, memory, CPU), crashed or printed no object.
    """
    try:
        out, returncode = await run_bounded(
            [sys.executable, "-m", module, *arguments],
            data,
            memory_bytes=limits.memory_mb * 1024 * 1024,
            cpu_seconds=limits.cpu_seconds,
            timeout_seconds=limits.timeout_seconds,
        )
    except TimeoutError as exc:
        raise DocumentTooComplexError(module) from exc
    try:
        result = json.loads(out) if out else None
    except ValueError:
        result = None
    if returncode != 0 or not isinstance(result, dict):
        raise DocumentTooComplexError(module)  # killed by a limit (memory, CPU) or crashed
    return result


async def sections_bounded(data: bytes, name: str, limits: ReadingLimits) -> list[Section]:
    """`extract_sections` in a bounded child process (`tools.doctext.reader`), one reading slot held.

    Raises:
        DocumentTooLongError, DocumentFormatError: as `extract_sections` does.
        DocumentTooComplexError: the reader ran past its limits (or died any other way).
    """
    arguments = [
        f"--name={name}",
        f"--max-pages={limits.max_pages or 0}",
        f"--max-chars={limits.max_chars or 0}",
    ]
    async with reading_slot():
        result = await read_bounded("tools.doctext.reader", arguments, data, limits)
    error = result.get("error")
    if error == "document_too_long":
        raise DocumentTooLongError(str(result.get("message", "")))
    if error is not None:
        raise DocumentFormatError(str(result.get("message", "")))
    try:
        return [Section(**section) for section in result["sections"]]
    except (KeyError, TypeError) as exc:  # not what the reader writes
        raise DocumentTooComplexError(name) from exc
