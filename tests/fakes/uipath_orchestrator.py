"""A fake UiPath Orchestrator (tests only): token endpoint, StartJobs and job reads, scripted states."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Form, Header, HTTPException, Request


@dataclass
class FakeOrchestrator:
    """Jobs move through `states` one read at a time; the last state stays."""

    client_id: str = "ariane-robots"
    client_secret: str = "s3cret"
    states: list[str] = field(default_factory=lambda: ["Pending", "Running", "Successful"])
    output: dict[str, Any] = field(default_factory=lambda: {"lignes": 12})
    info: str = ""
    started: list[dict[str, Any]] = field(default_factory=list)
    folders: list[str | None] = field(default_factory=list)
    reads: dict[int, int] = field(default_factory=dict)
    prefix: str = "/org/tenant/orchestrator_"

    @property
    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/identity_/connect/token")
        def token(
            grant_type: str = Form(),
            client_id: str = Form(),
            client_secret: str = Form(),
            scope: str = Form(""),
        ) -> dict[str, Any]:
            if (grant_type, client_id, client_secret) != (
                "client_credentials",
                self.client_id,
                self.client_secret,
            ):
                raise HTTPException(400, "invalid_client")
            return {"access_token": "tok-123", "expires_in": 3600, "token_type": "Bearer", "scope": scope}

        def check(authorization: str | None) -> None:
            if authorization != "Bearer tok-123":
                raise HTTPException(401)

        @app.post(self.prefix + "/odata/Jobs/UiPath.Server.Configuration.OData.StartJobs")
        async def start_jobs(
            request: Request,
            authorization: str | None = Header(None),
            x_uipath_organizationunitid: str | None = Header(None),
        ) -> dict[str, Any]:
            check(authorization)
            body = await request.json()
            self.started.append(body["startInfo"])
            self.folders.append(x_uipath_organizationunitid)
            job_id = 1000 + len(self.started)
            return {"value": [{"Id": job_id, "Key": f"key-{job_id}", "State": "Pending"}]}

        @app.get(self.prefix + "/odata/Jobs({job_id})")
        def get_job(job_id: int, authorization: str | None = Header(None)) -> dict[str, Any]:
            check(authorization)
            count = self.reads.get(job_id, 0)
            self.reads[job_id] = count + 1
            state = self.states[min(count, len(self.states) - 1)]
            terminal = state in {"Successful", "Faulted", "Stopped"}
            return {
                "Id": job_id,
                "State": state,
                "Info": self.info if terminal else "",
                "OutputArguments": json.dumps(self.output) if state == "Successful" else None,
            }

        return app
