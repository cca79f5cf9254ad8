"""Robot Framework tasks (RPA mode) in a subprocess, with a timeout; output.xml, log and artifacts kept."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

from tools.robots.runners.base import JobRequest, JobResult, OnStarted, RunnerError

TASKS_DIR = Path(__file__).resolve().parents[1] / "tasks"
REPO_ROOT = Path(__file__).resolve().parents[3]
SAMPLES_DIR = REPO_ROOT / "tools" / "tenant" / "data" / "systems"
LOG_TAIL_CHARS = 20_000
ARTIFACTS = "artefacts"


@dataclass(frozen=True)
class LocalRunnerSettings:
    """Where the robots' sample systems are: the local tenant's robot API and the sample exports."""

    tenant_url: str
    robot_key: str
    samples_dir: Path = SAMPLES_DIR
    tasks_dir: Path = TASKS_DIR


class LocalRunner:
    """Runs `python -m robot --rpa` for a job, in its own process group so a timeout kills it all."""

    def __init__(self, settings: LocalRunnerSettings) -> None:
        self._settings = settings

    async def run(self, job: JobRequest, on_started: OnStarted) -> JobResult:
        """Run the robot's task to its end or its timeout.

        Raises:
            RunnerError: the robot's task file does not exist.
        """
        folder = self._settings.tasks_dir.resolve()
        task = (folder / str(job.robot.runner_settings.get("task", ""))).resolve()
        if not task.is_relative_to(folder) or task.suffix != ".robot":
            # A definition pointing elsewhere (`../../evil.robot`, an absolute path, a symlink out):
            # only the reviewed tasks of the tasks folder ever run.
            raise RunnerError("task_outside", "La tâche du robot n'est pas dans le dossier des tâches.")
        if not task.is_file():
            raise RunnerError("task_missing", f"Tâche Robot Framework introuvable : {task.name}.")
        job.workdir.mkdir(parents=True, exist_ok=True)
        inputs_file = job.workdir / "inputs.json"
        inputs_file.write_text(json.dumps(job.inputs, ensure_ascii=False), encoding="utf-8")
        variables = {
            "INPUTS_FILE": inputs_file,
            "ARTIFACTS_DIR": job.workdir / ARTIFACTS,
            "SAMPLES_DIR": self._settings.samples_dir,
            "TENANT_URL": self._settings.tenant_url,
            "ROBOT_KEY": self._settings.robot_key,
            "REQUESTER": job.requester,
            "JOB_ID": job.job_id,
        }
        command = [sys.executable, "-m", "robot", "--rpa", "--outputdir", str(job.workdir)]
        command += ["--pythonpath", str(REPO_ROOT), "--report", "NONE", "--consolecolors", "off"]
        for name, value in variables.items():
            command += ["--variable", f"{name}:{value}"]
        console = job.workdir / "console.txt"
        with console.open("wb") as sink:
            process = await asyncio.create_subprocess_exec(
                *command,
                str(task),
                stdout=sink,
                stderr=asyncio.subprocess.STDOUT,
                start_new_session=True,
            )
            await on_started(str(process.pid))
            try:
                code = await asyncio.wait_for(process.wait(), job.robot.timeout_seconds)
            except TimeoutError:
                _kill(process.pid)
                await process.wait()
                return self._result(
                    job, console, "timeout", f"Délai dépassé ({job.robot.timeout_seconds:.0f} s)."
                )
            except asyncio.CancelledError:
                _kill(process.pid)
                raise
        if code != 0:
            return self._result(job, console, "robot_failed", f"Le robot a échoué (code {code}).")
        return self._result(job, console, None, "")

    def _result(self, job: JobRequest, console: Path, code: str | None, detail: str) -> JobResult:
        log = console.read_text(encoding="utf-8", errors="replace")[-LOG_TAIL_CHARS:]
        results = job.workdir / "resultat.json"
        outputs = json.loads(results.read_text(encoding="utf-8")) if results.is_file() and not code else {}
        artifacts = sorted(
            str(path.relative_to(job.workdir))
            for path in job.workdir.rglob("*")
            if path.is_file() and path.name not in {"inputs.json", "resultat.json"}
        )
        if code:
            return JobResult("failed", outputs, artifacts, log, {"code": code, "detail": detail})
        return JobResult("succeeded", outputs, artifacts, log)


def _kill(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def stop_orphan(pid: str | None, job_id: str) -> bool:
    """Kill a robot left running by a process that died, if that pid is still this job's robot.

    The job id on the command line guards against a recycled pid. Linux only (`/proc`).
    """
    if not pid or not pid.isdigit():
        return False
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False
    if f"JOB_ID:{job_id}" not in command:
        return False
    _kill(int(pid))
    return True
