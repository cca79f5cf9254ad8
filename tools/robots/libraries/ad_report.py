"""Daily Active Directory report: checks in the spirit of the national agency's list, ranked findings."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from robot.api import logger

from tools.robots.libraries._job import JobFiles

EXPORT = Path("active-directory") / "export-ad.json"
SEVERITY_RANK = {"critique": 0, "élevée": 1, "moyenne": 2, "faible": 3}
MAX_DOMAIN_ADMINS = 5
KRBTGT_MAX_DAYS = 180
SERVICE_PASSWORD_MAX_DAYS = 365
INACTIVE_DAYS = 90


@dataclass(frozen=True)
class Finding:
    """One weakness found in the export."""

    code: str
    severity: str
    title: str
    objects: list[str]
    advice: str


def _days(since: str, today: date) -> int:
    return (today - date.fromisoformat(since)).days


def findings_of(export: dict[str, Any], today: date) -> list[Finding]:
    """Every check's findings, most severe (then most widespread) first."""
    accounts = export["accounts"]
    found: list[Finding] = []

    def check(code: str, severity: str, title: str, objects: list[str], advice: str) -> None:
        if objects:
            found.append(Finding(code, severity, title, sorted(objects), advice))

    krbtgt_age = _days(export["krbtgt_password_last_set"], today)
    check(
        "krbtgt_ancien",
        "critique",
        f"Mot de passe du compte krbtgt inchangé depuis {krbtgt_age} jours",
        ["krbtgt"] if krbtgt_age > KRBTGT_MAX_DAYS else [],
        "Renouveler deux fois le mot de passe krbtgt, à 24 h d'intervalle.",
    )
    admins = export["privileged_groups"].get("Admins du domaine", [])
    check(
        "trop_d_admins",
        "élevée",
        f"{len(admins)} membres dans « Admins du domaine »",
        admins if len(admins) > MAX_DOMAIN_ADMINS else [],
        "Réduire le groupe aux seuls administrateurs nominatifs nécessaires.",
    )
    privileged = {member for members in export["privileged_groups"].values() for member in members}
    flagged = {
        flag: [a["sam"] for a in accounts if flag in a.get("flags", [])]
        for flag in (
            "DONT_REQ_PREAUTH",
            "PASSWD_NOTREQD",
            "ENCRYPTED_TEXT_PWD_ALLOWED",
            "DONT_EXPIRE_PASSWORD",
        )
    }
    check(
        "preauth_desactivee",
        "élevée",
        "Pré-authentification Kerberos désactivée (AS-REP roasting)",
        flagged["DONT_REQ_PREAUTH"],
        "Réactiver la pré-authentification Kerberos.",
    )
    check(
        "mot_de_passe_non_requis",
        "élevée",
        "Comptes sans mot de passe obligatoire",
        flagged["PASSWD_NOTREQD"],
        "Retirer l'attribut PASSWD_NOTREQD et désactiver les comptes de test.",
    )
    check(
        "chiffrement_reversible",
        "élevée",
        "Mots de passe stockés avec chiffrement réversible",
        flagged["ENCRYPTED_TEXT_PWD_ALLOWED"],
        "Désactiver le chiffrement réversible puis changer le mot de passe.",
    )
    check(
        "privilegies_sans_expiration",
        "élevée",
        "Comptes à privilèges dont le mot de passe n'expire jamais",
        [sam for sam in flagged["DONT_EXPIRE_PASSWORD"] if sam in privileged],
        "Imposer l'expiration ou passer en compte de service géré (gMSA).",
    )
    dcs = set(export.get("domain_controllers", []))
    check(
        "delegation_non_contrainte",
        "élevée",
        "Délégation Kerberos non contrainte hors contrôleurs de domaine",
        [c["name"] for c in export["computers"] if c["unconstrained_delegation"] and c["name"] not in dcs],
        "Remplacer par une délégation contrainte.",
    )
    check(
        "kerberoasting",
        "moyenne",
        "Comptes de service (SPN) au mot de passe ancien",
        [
            a["sam"]
            for a in accounts
            if a.get("spn") and _days(a["password_last_set"], today) > SERVICE_PASSWORD_MAX_DAYS
        ],
        "Mots de passe longs et aléatoires, ou gMSA.",
    )
    check(
        "comptes_inactifs",
        "moyenne",
        f"Comptes actifs sans connexion depuis plus de {INACTIVE_DAYS} jours",
        [a["sam"] for a in accounts if a["enabled"] and _days(a["last_logon"], today) > INACTIVE_DAYS],
        "Désactiver puis supprimer les comptes inutilisés.",
    )
    check(
        "laps_absent",
        "moyenne",
        "Postes et serveurs sans LAPS",
        [c["name"] for c in export["computers"] if not c["laps"]],
        "Déployer LAPS pour les comptes administrateurs locaux.",
    )
    return sorted(found, key=lambda f: (SEVERITY_RANK[f.severity], -len(f.objects), f.code))


class AdReport:
    """Keywords of the AD report robot."""

    ROBOT_LIBRARY_SCOPE = "SUITE"

    def __init__(self, inputs_file: str, artifacts_dir: str, samples_dir: str) -> None:
        self.job = JobFiles(inputs_file, artifacts_dir)
        self.export_file = Path(samples_dir) / EXPORT

    def analyse_directory_export(self) -> list[dict[str, Any]]:
        """Run the checks on the export, as of the requested day."""
        export = json.loads(self.export_file.read_text(encoding="utf-8"))
        today = date.fromisoformat(self.job.inputs["date"])
        findings = [asdict(f) for f in findings_of(export, today)]
        logger.info(f"{len(findings)} constats sur {len(export['accounts'])} comptes")
        return findings

    def write_ranked_report(self, findings: list[dict[str, Any]]) -> None:
        """The findings (JSON) and a readable report (Markdown), most severe first."""
        self.job.save_artifact("constats.json", json.dumps(findings, ensure_ascii=False, indent=2))
        lines = [f"# Rapport Active Directory du {self.job.inputs['date']}", ""]
        for rank, finding in enumerate(findings, start=1):
            lines.append(
                f"{rank}. **[{finding['severity']}] {finding['title']}** — "
                f"{len(finding['objects'])} objet(s) : "
                f"{', '.join(finding['objects'])}. {finding['advice']}"
            )
        self.job.save_artifact("rapport-ad.md", "\n".join(lines) + "\n")
        counts: dict[str, int] = {}
        for finding in findings:
            counts[finding["severity"]] = counts.get(finding["severity"], 0) + 1
        self.job.save_results(
            {
                "date": self.job.inputs["date"],
                "constats": len(findings),
                "par_gravite": counts,
                "premier": findings[0]["title"] if findings else None,
            }
        )
