"""The mails automations send: the approvers' notice, the reply to the alert, the outcome report.

Each has an `internetMessageId` derived from what it reports, so that it is sent once (`mailer.py`).
"""

from __future__ import annotations

import json
from typing import Any

from server.automations.mailer import Outgoing
from tools.robots.catalogue import RobotSpec

DOMAIN = "automatisations.ariane"
MAX_REPORT_CHARS = 12_000


def _robot_name(automation: dict[str, Any]) -> str:
    return RobotSpec.model_validate(automation["robot_spec"]).name


def _inputs(inputs: dict[str, Any] | None) -> list[str]:
    return [f"- {name} : {value}" for name, value in sorted((inputs or {}).items())]


def reading_lines(extraction: dict[str, Any] | None) -> list[str]:
    """How the inputs were read, when a model was asked: what it gave, or why the rules read alone."""
    if not extraction:
        return []
    model = extraction["model"]
    if "error" in extraction:
        return [
            f"(Lecture par le modèle « {model} » impossible : {extraction['error']} ; "
            "entrées lues par règles.)"
        ]
    taken = extraction.get("taken") or []
    if not taken:
        return [
            f"(Le modèle « {model} » n'a rien donné de vérifiable dans le message : entrées lues par règles.)"
        ]
    return [
        f"(Lues par le modèle « {model} » et retrouvées dans le message : {', '.join(taken)} ; "
        "les autres par règles.)"
    ]


def interpretation_lines(interpretation: dict[str, Any] | None, report: bool) -> list[str]:
    """A model's interpretation before the report it reads (the report follows: it never stands alone)."""
    if not interpretation:
        return []
    model = interpretation["model"]
    if "error" in interpretation:
        return ["", f"(Interprétation par le modèle « {model} » impossible : {interpretation['error']} ; "
                    "le rapport du robot suit, classé par gravité.)"]  # fmt: skip
    lines = [
        "",
        f"Interprétation (modèle « {model} », à vérifier dans le rapport) :",
        interpretation["answer"],
    ]
    return lines + (["", "Rapport du robot :"] if report else [])


def approval_notice(
    sender: str, automation: dict[str, Any], firing: dict[str, Any], approval_id: str, to: list[str]
) -> Outgoing:
    """To the robot's approvers: a launch waits for them (the card is in Activité)."""
    message = firing["message"] or {}
    lines = [
        "Bonjour,",
        "",
        f"L'automatisation « {automation['name']} » demande le lancement du robot "
        f"« {_robot_name(automation)} » pour le compte de {automation['owner_name']}.",
        "",
    ]
    if message:
        lines += [
            f"Déclencheur : message de {message['sender']['address']} reçu dans {automation['mailbox']}",
            f"Objet : {message['subject']}",
            *message.get("evidence", []),
            "",
        ]
    lines += [
        "Entrées du robot :",
        *_inputs(firing["inputs"]),
        *reading_lines(firing.get("extraction")),
        "",
        "Décidez dans Ariane, page Activité (la demande porte exactement ces entrées).",
        f"Référence de la demande : {approval_id}",
    ]
    return Outgoing(
        internet_id=f"<approval-{approval_id}@{DOMAIN}>",
        mailbox=sender,
        subject=f"Validation demandée : {_robot_name(automation)}",
        body="\n".join(lines),
        to=to,
    )


def outcome_mail(
    sender: str,
    automation: dict[str, Any],
    firing: dict[str, Any],
    job: dict[str, Any] | None,
    detail: str,
    report: str = "",
) -> list[Outgoing]:
    """What a firing came to: the reply to the alert's sender (when the robot acted) and the report.

    The reply goes from the watched mailbox to the message's sender, in its conversation; the report
    goes from Ariane's sender to the owner and the automation's `notify` addresses.
    """
    mails: list[Outgoing] = []
    message = firing["message"] or {}
    done = [
        f"- {name} : {_value(value)}" for name, value in sorted(((job or {}).get("outputs") or {}).items())
    ]
    if automation["kind"] == "mail" and message and firing_succeeded(job):
        body = [
            "Bonjour,",
            "",
            f"Suite à votre message « {message['subject']} », la procédure « {_robot_name(automation)} » "
            "a été appliquée :",
            *done,
            "",
            "Cordialement,",
            "La sécurité des systèmes d'information",
        ]
        mails.append(
            Outgoing(
                internet_id=f"<reply-{firing['id']}@{DOMAIN}>",
                mailbox=automation["mailbox"],
                subject="",
                body="\n".join(body),
                to=[message["sender"]["address"]],
                reply_to_message=message["id"],
            )
        )
    recipients = sorted({automation["owner_email"].lower(), *(a.lower() for a in automation["notify"])})
    lines = [f"Automatisation « {automation['name']} » — {firing['key']}", "", detail]
    if done:
        lines += ["", "Résultats :", *done]
    lines += interpretation_lines(firing.get("interpretation"), bool(report))
    if report:
        lines += ["", report[:MAX_REPORT_CHARS]]
    mails.append(
        Outgoing(
            internet_id=f"<outcome-{firing['id']}@{DOMAIN}>",
            mailbox=sender,
            subject=f"{_robot_name(automation)} : {detail}",
            body="\n".join(lines),
            to=recipients,
        )
    )
    return mails


def _value(value: Any) -> str:
    """An output as text, the same whatever order its keys were stored in (the audit replays the mail)."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def firing_succeeded(job: dict[str, Any] | None) -> bool:
    """The firing's robot ran to the end."""
    return job is not None and job["status"] == "succeeded"
