"""The readiness probe's refusals in French and English (part of `server.messages.MESSAGES`)."""

from __future__ import annotations

HEALTH_TEXTS: dict[str, dict[str, str]] = {
    "health.database_unavailable": {
        "fr": "La base de données est injoignable.",
        "en": "The database cannot be reached.",
    },
    "health.database_not_initialised": {
        "fr": "La base de données n'est pas initialisée : lancez `ariane db migrate`.",
        "en": "The database is not initialised: run `ariane db migrate`.",
    },
    "health.database_behind": {
        "fr": "La base de données est à la révision {revision}, le code attend {head} : "
        "lancez `ariane db migrate`.",
        "en": "The database is at revision {revision}, the code expects {head}: run `ariane db migrate`.",
    },
    "health.database_ahead": {
        "fr": "La base de données est à la révision {revision}, migrée pour une version plus récente "
        "qu'elle ne l'accepte pour ce code ({head}) : déployez la nouvelle version.",
        "en": "The database is at revision {revision}, migrated for a newer version than this code"
        " accepts ({head}): deploy the new version.",
    },
}
