"""Which process this is, and whether another one recorded on this machine is still alive.

A process killed with SIGKILL leaves its row and leases behind. Leases expire by themselves (the
lease duration later), but a process restarted on the same machine need not wait: a recorded pid
that no longer runs — or now runs another program, started at another instant (pid 1 of a
restarted container) — is dead, and its work is taken over at once.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path


def _start_ticks(pid: int) -> int | None:
    """When the process started, in clock ticks since boot (Linux); None where unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (2nd field) may hold spaces and parentheses: split after its closing one.
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[19])  # field 22 of the whole line


def is_alive(pid: int, started_ticks: int | None) -> bool:
    """True while the process recorded as (`pid`, `started_ticks`) still runs on this machine."""
    if not Path("/proc").is_dir():  # no way to tell here: rely on the lease expiring
        return True
    ticks = _start_ticks(pid)
    if ticks is None:
        return False
    return started_ticks is None or ticks == started_ticks


@dataclass(frozen=True)
class Presence:
    """This process as recorded in `processes`: its id is the owner of every lease it takes."""

    id: str
    role: str
    host: str
    pid: int
    started_ticks: int | None

    @classmethod
    def of_this_process(cls, role: str) -> Presence:
        """A fresh identity for this process in `role` (`serve`, `worker`, `up`)."""
        pid = os.getpid()
        return cls(str(uuid.uuid4()), role, socket.gethostname(), pid, _start_ticks(pid))

    def record(self) -> dict[str, object]:
        """The row to insert."""
        return {
            "id": self.id,
            "role": self.role,
            "host": self.host,
            "pid": self.pid,
            "started_ticks": self.started_ticks,
        }
