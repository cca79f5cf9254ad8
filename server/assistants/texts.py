"""The assistants' texts in French and English (part of `server.messages.MESSAGES`).

Used by `service.py` and `policy.py`; the editor's own checks are in `server/messages.py`.
"""

from __future__ import annotations

ASSISTANTS_TEXTS: dict[str, dict[str, str]] = {
    "assistants.not_found": {
        "fr": "L'assistant « {id} » n'existe pas ou ne vous est pas ouvert.",
        "en": "Assistant « {id} » does not exist or is not open to you.",
    },
    "assistants.issue.model_gone": {
        "fr": "Le modèle « {name} » n'existe plus au catalogue de la passerelle.",
        "en": "Model « {name} » is no longer in the gateway's catalogue.",
    },
    "assistants.issue.model_not_allowed": {
        "fr": "La politique d'usage ne vous autorise plus le modèle « {name} » pour cet assistant.",
        "en": "The usage policy no longer allows you model « {name} » for this assistant.",
    },
    "assistants.issue.policy_unavailable": {
        "fr": "La politique d'usage est indisponible : aucun modèle ne peut être vérifié.",
        "en": "The usage policy is unavailable: no model can be checked.",
    },
    "assistants.issue.tool_gone": {
        "fr": "L'outil « {name} » n'est plus disponible sur la plateforme.",
        "en": "Tool « {name} » is no longer available on the platform.",
    },
}
