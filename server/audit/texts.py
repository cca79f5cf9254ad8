"""The audit pages' refusals in French and English (part of `server.messages.MESSAGES`).

Used by `replay.py` and `launch_replay.py`, and by `server/batches/replay.py` for what a record lacks
(the items are joined by `tools.i18n.joined`).
"""

from __future__ import annotations

AUDIT_TEXTS: dict[str, dict[str, str]] = {
    "audit.start_not_found": {
        "fr": "L'enregistrement du début de cette exécution est introuvable.",
        "en": "The record of this run's start cannot be found.",
    },
    "audit.not_captured": {
        "fr": "Rejeu impossible : le contenu de cette exécution n'a pas été capturé ({missing}).",
        "en": "Replay impossible: the content of this run was not captured ({missing}).",
    },
    "audit.model_not_allowed": {
        "fr": "Le modèle « {model} » n'est pas un modèle de conversation autorisé pour ce rejeu.",
        "en": "Model « {model} » is not a chat model allowed for this replay.",
    },
    "audit.launch_exact_only": {
        "fr": "Seul le rejeu exact s'applique à un lancement de robot (un robot n'est jamais relancé par "
        "un rejeu ; la lecture d'un message par un modèle est rejouée depuis sa réponse enregistrée).",
        "en": "Only the exact replay applies to a robot launch (a replay never runs a robot again; a"
        " model's reading of a message is replayed from its recorded answer).",
    },
    # Why records could not be written (writer.py), the `reason` of `audit.unavailable`.
    "audit.writer_stopped": {
        "fr": "le journal d'audit n'est pas en service",
        "en": "the audit trail is not in service",
    },
    "audit.writer_silent": {
        "fr": "le journal d'audit ne répond pas",
        "en": "the audit trail does not answer",
    },
    "audit.writer_failed": {
        "fr": "le journal d'audit n'a pas pu être écrit ({reason})",
        "en": "the audit trail could not be written ({reason})",
    },
    # What a record may lack for a replay (the `missing` of `audit.not_captured`).
    "audit.missing.message": {"fr": "le message de l'utilisateur", "en": "the user's message"},
    "audit.missing.workflow": {"fr": "le parcours choisi", "en": "the workflow chosen"},
    "audit.missing.steps": {
        "fr": "le contenu de {count} échange(s) avec les modèles et les outils",
        "en": "the content of {count} exchange(s) with the models and the tools",
    },
    "audit.missing.outcome": {"fr": "la réponse donnée", "en": "the answer given"},
    "audit.missing.inputs": {"fr": "les entrées du robot", "en": "the robot's inputs"},
    "audit.missing.letter": {"fr": "le modèle de courrier", "en": "the letter template"},
    "audit.missing.rows": {"fr": "le contenu des lignes", "en": "the content of the rows"},
    # Why a purge is refused or cancelled (retention.py), shown by `ariane audit purge` in its language.
    "audit.purge_unverified": {
        "fr": "le journal d'audit ne se vérifie pas ({count} problème(s), d'abord {kind} à l'enregistrement"
        " {seq}) : purge refusée, à examiner avant toute suppression",
        "en": "the audit trail does not verify ({count} problem(s), first {kind} at record {seq}): purge"
        " refused, to be examined before any deletion",
    },
    "audit.purge_count_mismatch": {
        "fr": "{deleted} enregistrements supprimés au lieu de {records} : purge annulée",
        "en": "{deleted} records deleted instead of {records}: purge cancelled",
    },
    "audit.purge_record_missing": {
        "fr": "l'enregistrement {upto} est introuvable : purge annulée",
        "en": "record {upto} cannot be found: purge cancelled",
    },
    # What a replay report says to the auditor reading it (replay.py); its status values never change.
    "audit.replay.stops_before": {
        "fr": "aucune (la nouvelle exécution s'arrête avant)",
        "en": "none (the new execution stops before)",
    },
    "audit.replay.truncated": {
        "fr": "{start}… ({length} caractères)",
        "en": "{start}… ({length} characters)",
    },
    "audit.replay.recorded": {"fr": "enregistrée", "en": "recorded"},
}
