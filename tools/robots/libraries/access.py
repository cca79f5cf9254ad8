"""R10 — an application access request filed in the accreditation team's queue."""

from __future__ import annotations

import json

from robot.api import logger

from tools.robots.libraries._job import JobFiles
from tools.robots.libraries._tenant import TenantApi


class AccessRequests:
    """Keywords of the access-creation robot."""

    ROBOT_LIBRARY_SCOPE = "SUITE"

    def __init__(self, inputs_file: str, artifacts_dir: str, tenant_url: str, robot_key: str) -> None:
        self.job = JobFiles(inputs_file, artifacts_dir)
        self.tenant = TenantApi(tenant_url, robot_key)

    def file_access_request(self, requested_by: str) -> None:
        """File the request (the tenant checks that the beneficiary exists in the directory)."""
        body = dict(self.job.inputs) | {"requested_by": requested_by}
        request = self.tenant.post("/access-requests", body)
        logger.info(f"Demande d'accès {request['id']} enregistrée pour {request['beneficiaire']}")
        self.job.save_artifact("demande-acces.json", json.dumps(request, ensure_ascii=False, indent=2))
        self.job.save_results(
            {"demande": request["id"], "application": request["application"], "statut": request["status"]}
        )
