"""Securing a compromised account (procedure SSI-PRO-012): incident, password, antivirus, text message."""

from __future__ import annotations

import json
from typing import Any

from robot.api import logger

from tools.robots.libraries._job import JobFiles
from tools.robots.libraries._tenant import TenantApi


class AccountSecuring:
    """Keywords of the account-securing robot, acting on the local tenant's systems."""

    ROBOT_LIBRARY_SCOPE = "SUITE"

    def __init__(self, inputs_file: str, artifacts_dir: str, tenant_url: str, robot_key: str) -> None:
        self.job = JobFiles(inputs_file, artifacts_dir)
        self.tenant = TenantApi(tenant_url, robot_key)
        self.account: str = self.job.inputs["compte"]
        self.steps: dict[str, Any] = {}

    def declare_incident(self) -> str:
        """Open a security incident for the account."""
        source = self.job.inputs.get("source") or "alerte reçue par courriel"
        incident = self.tenant.post(
            "/incidents", {"account": self.account, "source": source, "kind": "compte_compromis"}
        )
        self.steps["incident"] = incident
        logger.info(f"Incident déclaré : {incident['id']}")
        return str(incident["id"])

    def reset_password(self) -> None:
        """Reset the password in the directory and revoke the sessions."""
        reset = self.tenant.post(f"/users/{self.account}/password-reset", {"revoke_sessions": True})
        self.steps["password_reset"] = reset
        logger.info(f"Mot de passe réinitialisé le {reset['reset_at']}")

    def queue_antivirus_scan(self) -> None:
        """Queue a full scan of the computers the account used in the last 7 days."""
        scan = self.tenant.post(
            "/antivirus-scans", {"account": self.account, "scope": "postes_7_derniers_jours"}
        )
        self.steps["antivirus_scan"] = scan
        logger.info(f"Analyse antivirus en file : {scan['id']}")

    def text_the_user(self) -> None:
        """Put a text message to the user's work phone in the outbox."""
        text = (
            "CHRU Exemple, sécurité SI : votre mot de passe a été réinitialisé suite à une alerte. "
            "Contactez le support au 4444 pour en obtenir un nouveau."
        )
        sms = self.tenant.post("/sms", {"account": self.account, "text": text})
        self.steps["sms"] = sms
        logger.info(f"SMS en file d'envoi vers {sms['to']}")

    def write_incident_report(self) -> None:
        """The incident record and a short report, as artifacts; the ids as results."""
        self.job.save_artifact("incident.json", json.dumps(self.steps, ensure_ascii=False, indent=2))
        lines = [
            f"# Mise en sécurité du compte {self.account}",
            "",
            f"- Incident : {self.steps['incident']['id']}",
            f"- Mot de passe réinitialisé : {self.steps['password_reset']['reset_at']}",
            f"- Analyse antivirus : {self.steps['antivirus_scan']['id']} (en file)",
            f"- SMS : {self.steps['sms']['id']} vers {self.steps['sms']['to']}",
        ]
        self.job.save_artifact("rapport.md", "\n".join(lines) + "\n")
        self.job.save_results(
            {
                "compte": self.account,
                "incident": self.steps["incident"]["id"],
                "analyse_antivirus": self.steps["antivirus_scan"]["id"],
                "sms": self.steps["sms"]["id"],
            }
        )
