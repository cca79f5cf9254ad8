"""What the load benchmark stands on: bench users in the tenant, `ariane up` as a process, a timed turn.

Thirty-two people asking at once are thirty-two people: the tenant's extra data folder adds as many
fictional bench users (« Agent de test NN », invented) who attend their own copy of the DTNIB general
assembly, with the same transcript, so that each concurrent conversation is another user's (quotas, rate
limits and caches per user are what they would be in service).
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import psutil

from tools.tenant.directory import DATA_DIR

USERS = 32
MESSAGE = "Résume-moi l'intervention de Julien Perrin à l'assemblée générale DTNIB en 3 points"
_EVENT = "evt-ag-dtnib-2025-06-19"


def bench_mail(index: int) -> str:
    """The mail of bench user `index` (1-based)."""
    return f"agent.test{index:02d}@chru-exemple.fr"


def write_bench_tenant(folder: Path, users: int = USERS) -> Path:
    """An extra tenant data folder: `users` bench users attending a copy of the general assembly."""
    folder.mkdir(parents=True, exist_ok=True)
    people = [
        {
            "id": f"00000000-0000-5000-8000-{index:012d}",
            "mail": bench_mail(index),
            "given_name": "Agent",
            "surname": f"de test {index:02d}",
            "display_name": f"Agent de test {index:02d}",
            "job_title": "Agent administratif (banc d'essai)",
            "department": f"Banc d'essai {1 + (index - 1) // 8}",
            "job_category": "Personnel administratif",
            "groups": ["ariane-staff"],
        }
        for index in range(1, users + 1)
    ]
    (folder / "directory.json").write_text(json.dumps({"users": people}, ensure_ascii=False), "utf-8")
    calendar = json.loads((DATA_DIR / "calendar.json").read_text("utf-8"))
    original = next(event for event in calendar["events"] if event["id"] == _EVENT)
    meeting = original["online_meeting"]
    (folder / "transcripts").mkdir(exist_ok=True)
    transcript = meeting["transcripts"][0]
    shutil.copyfile(DATA_DIR / transcript["file"], folder / transcript["file"])
    copy = original | {
        "id": f"{_EVENT}-banc",
        "organizer": people[0]["mail"],
        "attendees": [person["mail"] for person in people[1:]],
        "online_meeting": meeting
        | {
            "id": f"{meeting['id']}-banc",
            "join_web_url": meeting["join_web_url"] + "?banc=1",
            "transcripts": [transcript | {"id": f"{transcript['id']}-banc"}],
        },
    }
    (folder / "calendar.json").write_text(json.dumps({"events": [copy]}, ensure_ascii=False), "utf-8")
    return folder


@dataclass(frozen=True)
class Turn:
    """One chat turn as a client saw it (ms), and how it ended."""

    first_ms: float
    done_ms: float
    status: str
    mode: str
    fallbacks: tuple[str, ...]  # the causes the run gave for not using a model
    error: str | None
    fallback_detail: str = ""  # the sentence the run gave with its cause


async def timed_turn(
    session: aiohttp.ClientSession, base_url: str, token: str, message: str = MESSAGE
) -> Turn:
    """Ask `message` in a new thread and read the stream to `done`."""
    headers = {"Authorization": f"Bearer {token}"}
    async with session.post(f"{base_url}/api/threads", json={}, headers=headers) as created:
        thread = (await created.json())["id"]
    start = time.perf_counter()
    first: float | None = None
    kind = ""
    done: dict[str, Any] = {}
    fallbacks: list[str] = []
    error: str | None = None
    url = f"{base_url}/api/threads/{thread}/runs"
    async with session.post(url, json={"message": message}, headers=headers) as response:
        if response.status != 200:
            return Turn(0.0, 0.0, f"http {response.status}", "", (), await response.text())
        async for raw in response.content:
            line = raw.decode().rstrip("\n")
            if line.startswith("event:"):
                kind = line[6:].strip()
                first = first or time.perf_counter()
            elif line.startswith("data:") and kind in ("error", "done"):
                data = json.loads(line[5:])
                if kind == "done":
                    done = data
                    break
                if data.get("code") == "model_fallback":
                    fallbacks.append(str(data.get("reason") or data.get("detail", "")))
                else:
                    error = f"{data.get('code')}: {data.get('detail')}"
    end = time.perf_counter()
    fallback = done.get("fallback")
    if isinstance(fallback, dict) and not fallbacks:
        fallbacks.append(str(fallback.get("reason", fallback)))
    return Turn(
        ((first or end) - start) * 1000,
        (end - start) * 1000,
        str(done.get("status", "no done event")),
        str(done.get("mode", "")),
        tuple(fallbacks),
        error,
        str(fallback.get("detail", "")) if isinstance(fallback, dict) else "",
    )


@dataclass
class CpuMeter:
    """CPU seconds used by `ariane up` and its embedded PostgreSQL since the last reading."""

    server: psutil.Process
    data_dir: Path
    _last: tuple[float, float] = (0.0, 0.0)

    def postgres(self) -> list[psutil.Process]:
        """The embedded PostgreSQL's processes (the postmaster and its backends)."""
        marker = str(self.data_dir / "postgres")
        found: dict[int, psutil.Process] = {}
        for proc in psutil.process_iter(["cmdline"]):
            cmdline = proc.info.get("cmdline") or []
            if any(marker in part for part in cmdline):
                found |= {each.pid: each for each in [proc, *proc.children(recursive=True)]}
        return list(found.values())

    def _now(self) -> tuple[float, float]:
        times = self.server.cpu_times()
        database = 0.0
        for proc in self.postgres():
            try:
                cpu = proc.cpu_times()
            except psutil.Error:
                continue
            database += cpu.user + cpu.system
        return times.user + times.system, database

    def start(self) -> None:
        """Start a measurement."""
        self._last = self._now()

    def read(self) -> tuple[float, float]:
        """(server, PostgreSQL) CPU seconds since `start` (backends that exited are not counted)."""
        now = self._now()
        return now[0] - self._last[0], max(0.0, now[1] - self._last[1])

    def memory_mib(self) -> tuple[float, float]:
        """Proportional resident memory (PSS, MiB) of `ariane up` and of its PostgreSQL.

        PSS rather than RSS: PostgreSQL's backends share its buffers, which RSS would count once per
        backend.
        """
        server = self.server.memory_full_info().pss
        database = 0
        for proc in self.postgres():
            try:
                database += proc.memory_full_info().pss
            except psutil.Error:
                continue
        return server / 2**20, database / 2**20
