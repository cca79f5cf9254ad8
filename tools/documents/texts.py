"""The documents server's refusals, in French and English (rendered in the caller's language)."""

from __future__ import annotations

from tools.i18n import Catalogue

TEXTS = Catalogue(
    {
        "site_unknown": {
            "fr": "Site « {site} » introuvable parmi ceux auxquels vous avez accès.",
            "en": "Site « {site} » not found among those you have access to.",
        },
        "no_words": {"fr": "Indiquez des mots à chercher.", "en": "Give words to search for."},
        "the_search": {"fr": "la recherche documentaire", "en": "the document search"},
        "bad_id": {
            "fr": "Identifiant de document invalide : « {id} » (attendu : lecteur:élément).",
            "en": "Invalid document id: « {id} » (expected: drive:item).",
        },
        "this_document": {"fr": "ce document", "en": "this document"},
        "unreadable": {
            "fr": "« {name} » n'est pas un PDF ou un DOCX lisible.",
            "en": "« {name} » is not a readable PDF or DOCX.",
        },
        "too_complex": {
            "fr": "« {name} » est trop lourd ou trop complexe à lire : sa lecture dépasse les limites de"
            " mémoire ou de temps du serveur. Ouvrez-le dans SharePoint.",
            "en": "« {name} » is too heavy or too complex to read: reading it exceeds the server's memory"
            " or time limits. Open it in SharePoint.",
        },
    }
)
