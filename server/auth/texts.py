"""Sign-in refusals in French and English (part of `server.messages.MESSAGES`), used by `oidc.py`."""

from __future__ import annotations

AUTH_TEXTS: dict[str, dict[str, str]] = {
    "auth.token_unreadable": {"fr": "Jeton d'accès illisible.", "en": "Unreadable access token."},
    "auth.wrong_issuer": {
        "fr": "Ce jeton a été émis par un autre fournisseur d'identité.",
        "en": "This token was issued by another identity provider.",
    },
    "auth.token_expired": {
        "fr": "Votre session a expiré : reconnectez-vous.",
        "en": "Your session has expired: sign in again.",
    },
    "auth.wrong_audience": {
        "fr": "Ce jeton n'est pas destiné à Ariane.",
        "en": "This token is not meant for Ariane.",
    },
    "auth.token_invalid": {"fr": "Jeton d'accès invalide.", "en": "Invalid access token."},
    "auth.unknown_key": {
        "fr": "Jeton signé par une clé inconnue.",
        "en": "Token signed with an unknown key.",
    },
    "auth.provider_misconfigured": {
        "fr": "Le fournisseur d'identité annonce un autre émetteur que celui configuré.",
        "en": "The identity provider announces another issuer than the configured one.",
    },
    "auth.provider_unreachable": {
        "fr": "Le fournisseur d'identité est injoignable : réessayez dans un instant.",
        "en": "The identity provider cannot be reached: try again in a moment.",
    },
}
