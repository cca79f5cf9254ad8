"""Where robot jobs run: Robot Framework locally, or UiPath Orchestrator."""

from tools.robots.runners.base import JobRequest, JobResult, OnStarted, Runner, RunnerError
from tools.robots.runners.local import LocalRunner, LocalRunnerSettings, stop_orphan
from tools.robots.runners.uipath import UiPathRunner, UiPathSettings

__all__ = [
    "JobRequest",
    "JobResult",
    "LocalRunner",
    "LocalRunnerSettings",
    "OnStarted",
    "Runner",
    "RunnerError",
    "UiPathRunner",
    "UiPathSettings",
    "stop_orphan",
]
