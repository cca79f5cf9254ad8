"""The certification pack: one self-contained HTML file, dated and signed with the audit anchor key.

It holds the map (each system's sheet, risk, flags, last scores), each assistant's evaluation
history, the model policy's versions, the assistants' use by service and job category, the data
quality of the knowledge collections, the open score alerts, the newest shadow-AI report in its
pseudonymised form, and the audit store's verification status. No external resource (no script,
style sheet, font or image is fetched): it opens anywhere, offline, and can be archived as evidence
(HAS criterion 3.4-05).

Signature: Ed25519 (the audit anchor key) over the file's UTF-8 bytes with the signature's value
replaced by `UNSIGNED`; `verify_pack` checks it with the anchor book's public key.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from html import escape
from typing import Any

from server.audit.anchors import AnchorBook, AnchorKey
from server.audit.verify import verify_store
from server.auth.schemas import User
from server.governance import repository
from server.governance.runtime import GovernanceRuntime
from server.governance.schemas import System, SystemKind
from tools.database import Pool

PLACEHOLDER = "UNSIGNED"
_MARK = '<meta name="ariane-signature" content="'
_STYLE = (
    "body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}"
    "td,th{border:1px solid #bbb;padding:4px 8px;text-align:left;vertical-align:top}"
    "th{background:#eee}.flag{color:#a4262c}h2{margin-top:2em}"
)


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


async def build_pack(
    runtime: GovernanceRuntime, pool: Pool, book: AnchorBook, user: User, now: datetime | None = None
) -> str:
    """The signed HTML pack; shadow AI in counts only (never a person, whoever asks)."""
    at = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    systems = await runtime.systems.map()
    parts = [
        f"<h1>Dossier de certification — gouvernance des systèmes d'IA</h1><p>Établi le {escape(at)} "
        f"par {escape(user.email)}. Critère HAS 3.4-05.</p>",
        "<h2>Cartographie des systèmes d'IA</h2>",
        _table(
            [
                "Système",
                "Type",
                "Responsable",
                "Finalité",
                "Statut",
                "Risque (AI Act)",
                "Validation",
                "Données",
                "Modèles",
                "Hébergement",
                "Alertes",
            ],
            [
                [
                    s.name,
                    s.kind.value,
                    s.sheet.owner,
                    s.sheet.purpose,
                    s.sheet.status.value,
                    s.risk_level.value,
                    f"{s.sheet.validated_by} {s.sheet.validated_on or ''}".strip(),
                    ", ".join(s.data_classes),
                    ", ".join(s.models),
                    ", ".join(s.hosting),
                    ", ".join(f.value for f in s.flags),
                ]
                for s in systems.systems
            ],
        ),
        "<h2>Historique des évaluations</h2>",
    ]
    for system in systems.systems:
        points = await runtime.systems.evaluations(system.id) if system.kind.value == "assistant" else []
        if points:
            parts.append(f"<h3>{escape(system.name)}</h3>")
            parts.append(
                _table(
                    ["Date", "Suite", "Motif", "Statut", "Scores (seuil)"],
                    [
                        [
                            p.at.isoformat(timespec="minutes"),
                            f"{p.suite} {p.split}".strip(),
                            p.reason,
                            p.status,
                            ", ".join(
                                f"{k} {v:.2f} ({p.floors[k]:.2f})" for k, v in sorted(p.scores.items())
                            ),
                        ]
                        for p in points
                    ],
                )
            )
    parts += await _policy_usage_quality(runtime, pool, systems.systems)
    alerts = await runtime.systems.alerts(open_only=True)
    parts.append("<h2>Alertes ouvertes</h2>")
    parts.append(
        _table(
            ["Système", "Suite", "Score", "Type", "Valeur", "Seuil", "Depuis"],
            [
                [
                    a.system_id,
                    a.suite,
                    a.scorer,
                    a.kind,
                    f"{a.value:.2f}",
                    f"{a.floor:.2f}",
                    a.opened_at.isoformat(),
                ]
                for a in alerts
            ],
        )
    )
    reports = await runtime.shadow.reports()
    parts.append("<h2>Usages d'IA publiques (journaux du proxy)</h2>")
    if reports:
        report = await runtime.shadow.report(user, reports[0].id)
        parts.append(
            f"<p>{escape(report.summary.name)} : {report.summary.lines} lignes, "
            f"{report.summary.ai_lines} vers des services d'IA.</p>"
        )
        parts.append(
            _table(
                ["Service d'IA", "Requêtes", "Personnes"],
                [[s.name, s.requests, s.people] for s in report.services],
            )
        )
        parts.append(
            _table(
                ["Catégorie professionnelle", "Requêtes", "Personnes"],
                [[g.label, g.requests, g.people] for g in report.by_job_category],
            )
        )
        parts.append(
            _table(
                ["Service", "Requêtes", "Personnes"],
                [[g.label, g.requests, g.people] for g in report.by_service],
            )
        )
    else:
        parts.append("<p>Aucun rapport.</p>")
    verified = await verify_store(pool, book)
    status = "vérifié, intact" if verified.ok else f"{len(verified.problems)} anomalie(s)"
    parts.append(
        f"<h2>Journal d'audit</h2><p>{verified.records} enregistrements, {verified.anchors} ancres "
        f"signées : {escape(status)}.</p>"
    )
    document = (
        f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">{_MARK}{PLACEHOLDER}">'
        f"<title>Dossier de certification IA — {escape(at)}</title><style>{_STYLE}</style></head>"
        f"<body>{''.join(parts)}</body></html>"
    )
    signature = book.sign(document.encode())
    return document.replace(f"{_MARK}{PLACEHOLDER}", f"{_MARK}{signature}", 1)


async def _policy_usage_quality(runtime: GovernanceRuntime, pool: Pool, systems: list[System]) -> list[str]:
    """The model policy's versions, Ariane's use by service and job category, knowledge data quality."""
    versions = await repository.policy_versions(pool)
    by_service: Counter[str] = Counter()
    by_category: Counter[str] = Counter()
    for system in systems:
        if system.kind is SystemKind.ASSISTANT:  # chat runs; a model's requests come from them
            by_service.update(system.usage.by_service)
            by_category.update(system.usage.by_job_category)
    quality = await runtime.systems.quality()
    return [
        "<h2>Historique de la politique des modèles</h2>",
        _table(
            ["Version", "Date", "Auteur", "Motif"],
            [
                [v["version"], v["at"].isoformat(timespec="minutes"), v["actor"], v["comment"]]
                for v in versions
            ],
        )
        if versions
        else "<p>Politique par défaut du dépôt (version 0), jamais modifiée.</p>",
        f"<h2>Usage des assistants ({repository.USAGE_DAYS} jours)</h2>",
        _table(["Service", "Requêtes"], [[k, n] for k, n in by_service.most_common()]),
        _table(["Catégorie professionnelle", "Requêtes"], [[k, n] for k, n in by_category.most_common()]),
        "<h2>Qualité des documents de référence</h2>",
        _table(
            ["Collection", "Documents", "À réviser", "Doublons", "Pages sans texte", "Jamais cités"],
            [
                [
                    q.collection,
                    q.counts.documents,
                    q.counts.review_due,
                    q.counts.duplicates,
                    q.counts.without_text,
                    q.counts.unreached,
                ]
                for q in quality
            ],
        ),
    ]


def verify_pack(document: str, book: AnchorBook | AnchorKey) -> bool:
    """True when the pack's signature is the anchor key's over its content."""
    start = document.find(_MARK)
    if start < 0:
        return False
    begin = start + len(_MARK)
    end = document.find('"', begin)
    signature = document[begin:end]
    unsigned = document[:begin] + PLACEHOLDER + document[end:]
    return book.verifies(unsigned.encode(), signature)
