"""What every tool server may say to the user: Microsoft 365's refusals, a missing identity, a lost session.

Each server keeps its own refusals in its `texts.py`; a `ToolFailure` carries the text, and the result
renders it in the language of the call (`LANGUAGE_META`).
"""

from __future__ import annotations

from tools.i18n import Catalogue

TEXTS = Catalogue(
    {
        "m365.not_found": {
            "fr": "Introuvable : {missing} n'existe pas ou ne vous est pas accessible.",
            "en": "Not found: {missing} does not exist or is not accessible to you.",
        },
        "m365.access_denied": {
            "fr": "Accès refusé : vous n'avez pas les droits pour consulter {missing}.",
            "en": "Access denied: you do not have the rights to see {missing}.",
        },
        "m365.unauthenticated": {
            "fr": "Votre session Microsoft 365 n'est pas valide : reconnectez-vous à Ariane.",
            "en": "Your Microsoft 365 session is not valid: sign in to Ariane again.",
        },
        "m365.bad_request": {
            "fr": "Requête refusée par Microsoft 365 : {error}.",
            "en": "Request refused by Microsoft 365: {error}.",
        },
        "m365.unavailable": {
            "fr": "Microsoft 365 indisponible : réessayez dans quelques minutes.",
            "en": "Microsoft 365 is unavailable: try again in a few minutes.",
        },
        "m365.this_resource": {"fr": "cette ressource", "en": "this resource"},
        "caller.no_identity": {
            "fr": "Identité de l'utilisateur absente : reconnectez-vous à Ariane puis réessayez.",
            "en": "The user's identity is missing: sign in to Ariane again, then try again.",
        },
        "caller.bad_clock": {
            "fr": "Horloge de référence invalide : « {text} ».",
            "en": "Invalid reference clock: « {text} ».",
        },
        "session_invalid": {
            "fr": "Votre session n'est pas valide : reconnectez-vous à Ariane.",
            "en": "Your session is not valid: sign in to Ariane again.",
        },
        "bad_top": {
            "fr": "top doit être compris entre 1 et {max}.",
            "en": "top must be between 1 and {max}.",
        },
    }
)
