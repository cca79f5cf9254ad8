"""The edge's refusals in French and English (part of `server.messages.MESSAGES`)."""

from __future__ import annotations

EDGE_TEXTS: dict[str, dict[str, str]] = {
    "edge.nul_character": {
        "fr": "Le texte envoyé contient un caractère nul (U+0000), refusé.",
        "en": "The text sent contains a null character (U+0000): refused.",
    },
    "edge.lone_surrogate": {
        "fr": "Le texte envoyé contient un caractère Unicode invalide (substitut isolé).",
        "en": "The text sent contains an invalid Unicode character (lone surrogate).",
    },
    "edge.too_deep": {
        "fr": "Le document JSON est imbriqué trop profondément (plus de {depth} niveaux).",
        "en": "The JSON document is nested too deeply (more than {depth} levels).",
    },
    "edge.headers_too_large": {
        "fr": "Les en-têtes de la requête sont trop nombreux ou trop longs.",
        "en": "The request's headers are too many or too long.",
    },
    "edge.invalid_address": {
        "fr": "L'adresse contient un caractère nul ou une séquence Unicode invalide, refusée.",
        "en": "The address contains a null character or an invalid Unicode sequence: refused.",
    },
    "edge.too_large": {
        "fr": "La requête dépasse la taille maximale acceptée ({size} Kio).",
        "en": "The request exceeds the maximum size accepted ({size} KiB).",
    },
}
