"""UiPath Orchestrator: client-credentials token, StartJobs on a release in a folder, polling to the end."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from pydantic import BaseModel, Field, SecretStr

from tools.robots.runners.base import JobRequest, JobResult, OnStarted, RunnerError

START_JOBS = "/odata/Jobs/UiPath.Server.Configuration.OData.StartJobs"
FOLDER_HEADER = "X-UIPATH-OrganizationUnitId"
TERMINAL = {"Successful": "succeeded", "Faulted": "failed", "Stopped": "failed"}


class UiPathSettings(BaseModel):
    """How to reach Orchestrator (`ARIANE_UIPATH__*` in the server's settings)."""

    url: str | None = Field(
        None, description="Orchestrator base URL, e.g. https://cloud.uipath.com/ORG/TENANT/orchestrator_."
    )
    identity_url: str | None = Field(
        None,
        description="Token endpoint (`…/identity_/connect/token`); unset: `URL/identity_/connect/token`.",
    )
    client_id: str = Field("", description="External application (confidential) id.")
    client_secret: SecretStr = Field(SecretStr(""), description="External application secret.")
    scope: str = Field("OR.Jobs OR.Folders.Read", description="Scopes asked for.")
    folder_id: int | None = Field(
        None, description="Default folder (organization unit) id; a robot may override it."
    )
    poll_seconds: float = Field(5.0, gt=0, description="Pause between two job status reads.")
    timeout_seconds: float = Field(30.0, gt=0, description="HTTP timeout of one Orchestrator call.")

    @property
    def token_url(self) -> str:
        """Where client credentials are exchanged for a token."""
        return self.identity_url or f"{(self.url or '').rstrip('/')}/identity_/connect/token"


@dataclass
class UiPathRunner:
    """Starts a job on the robot's release and polls it until a terminal state."""

    settings: UiPathSettings
    transport: httpx.AsyncBaseTransport | None = None
    _token: tuple[str, float] | None = field(default=None, repr=False)

    async def run(self, job: JobRequest, on_started: OnStarted) -> JobResult:
        """Start (or, after a restart, resume following) the job; return its outcome.

        Raises:
            RunnerError: Orchestrator is not configured, refuses the credentials or the start.
        """
        if not self.settings.url:
            raise RunnerError(
                "uipath_not_configured", "UiPath Orchestrator n'est pas configuré (ARIANE_UIPATH__URL)."
            )
        runner = job.robot.runner_settings
        release = str(runner.get("release_key") or "")
        if not release:
            raise RunnerError(
                "uipath_release_missing", f"Aucune release UiPath pour le robot {job.robot.id}."
            )
        folder = runner.get("folder_id") or self.settings.folder_id
        async with httpx.AsyncClient(
            base_url=self.settings.url.rstrip("/"),
            transport=self.transport,
            timeout=self.settings.timeout_seconds,
        ) as http:
            headers = await self._headers(http, folder)
            external = job.external_id or await self._start(http, headers, release, job)
            await on_started(external)
            deadline = time.monotonic() + job.robot.timeout_seconds
            while True:
                state = await self._read(http, headers, external)
                if state["State"] in TERMINAL:
                    return _result(state)
                if time.monotonic() > deadline:
                    return JobResult(
                        "failed",
                        log=json.dumps(state),
                        error={
                            "code": "timeout",
                            "detail": f"Délai dépassé : tâche UiPath {external} encore « {state['State']} ».",
                        },
                    )
                await asyncio.sleep(self.settings.poll_seconds)

    async def _headers(self, http: httpx.AsyncClient, folder: Any) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {await self._access_token(http)}"}
        if folder is not None:
            headers[FOLDER_HEADER] = str(folder)
        return headers

    async def _access_token(self, http: httpx.AsyncClient) -> str:
        if self._token and self._token[1] > time.monotonic() + 30:
            return self._token[0]
        response = await http.post(
            self.settings.token_url,
            data={
                "grant_type": "client_credentials",
                "client_id": self.settings.client_id,
                "client_secret": self.settings.client_secret.get_secret_value(),
                "scope": self.settings.scope,
            },
        )
        if response.status_code != 200:
            raise RunnerError(
                "uipath_auth_failed", f"UiPath refuse les identifiants ({response.status_code})."
            )
        body = response.json()
        self._token = (str(body["access_token"]), time.monotonic() + float(body.get("expires_in", 3600)))
        return self._token[0]

    async def _start(
        self, http: httpx.AsyncClient, headers: dict[str, str], release: str, job: JobRequest
    ) -> str:
        start_info = {
            "ReleaseKey": release,
            "Strategy": "ModernJobsCount",
            "JobsCount": 1,
            "InputArguments": json.dumps(job.inputs, ensure_ascii=False),
            "Reference": job.job_id,  # lets an operator match the Orchestrator job to Ariane's
        }
        response = await http.post(START_JOBS, json={"startInfo": start_info}, headers=headers)
        if response.status_code not in (200, 201):
            raise RunnerError(
                "uipath_start_failed",
                f"UiPath refuse le lancement ({response.status_code}) : {response.text[:300]}",
            )
        return str(response.json()["value"][0]["Id"])

    async def _read(self, http: httpx.AsyncClient, headers: dict[str, str], external: str) -> dict[str, Any]:
        response = await http.get(f"/odata/Jobs({external})", headers=headers)
        if response.status_code != 200:
            raise RunnerError(
                "uipath_poll_failed",
                f"Lecture de la tâche UiPath {external} impossible ({response.status_code}).",
            )
        state: dict[str, Any] = response.json()
        return state


def _result(state: dict[str, Any]) -> JobResult:
    outputs = json.loads(state.get("OutputArguments") or "{}")
    log = f"UiPath job {state.get('Id')} : {state['State']}. {state.get('Info') or ''}".strip()
    if TERMINAL[state["State"]] == "succeeded":
        return JobResult("succeeded", outputs=outputs, log=log)
    return JobResult(
        "failed",
        outputs=outputs,
        log=log,
        error={
            "code": f"uipath_{state['State'].lower()}",
            "detail": f"UiPath : {state.get('Info') or state['State']}",
        },
    )
