"""What a runner is given and gives back."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from tools.robots.catalogue import RobotSpec

OnStarted = Callable[[str | None], Awaitable[None]]
"""Called once the job has really started, with the external job id when there is one."""


@dataclass(frozen=True)
class JobRequest:
    """One job to run: the robot, its approved inputs, a folder of its own."""

    job_id: str
    robot: RobotSpec
    inputs: dict[str, Any]
    workdir: Path
    requester: str
    external_id: str | None = None  # set when resuming the polling of a job started before a restart


@dataclass(frozen=True)
class JobResult:
    """How a job ended; `log` is the runner's console (tail), `artifacts` names files of the workdir."""

    status: Literal["succeeded", "failed"]
    outputs: dict[str, Any] = field(default_factory=dict)
    artifacts: list[str] = field(default_factory=list)
    log: str = ""
    error: dict[str, str] | None = None


class RunnerError(Exception):
    """A runner that cannot run at all (not configured, unreachable): the job fails with this message."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


class Runner(Protocol):
    """Runs one job to its end."""

    async def run(self, job: JobRequest, on_started: OnStarted) -> JobResult:
        """Run the job; raise RunnerError when it cannot run at all."""
        ...
