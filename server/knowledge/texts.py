"""The knowledge bases' texts in French and English (part of `server.messages.MESSAGES`).

Used by `extraction.py`, `service.py` and `routes.py`; file names are parameters, never part of an id.
"""

from __future__ import annotations

KNOWLEDGE_TEXTS: dict[str, dict[str, str]] = {
    "knowledge.unsupported_type": {
        "fr": "Format non pris en charge pour « {name} » : déposez un fichier PDF, DOCX ou TXT.",
        "en": "Format not supported for « {name} »: upload a PDF, DOCX or TXT file.",
    },
    "knowledge.no_text": {
        "fr": "« {name} » ne contient aucun texte exploitable (document vide ou image sans texte).",
        "en": "« {name} » contains no usable text (empty document or image without text).",
    },
    "knowledge.unreadable": {
        "fr": "« {name} » n'est pas un fichier {kind} lisible (fichier corrompu ?).",
        "en": "« {name} » is not a readable {kind} file (corrupt file?).",
    },
    "knowledge.binary_text": {
        "fr": "« {name} » n'est pas un fichier texte (contenu binaire).",
        "en": "« {name} » is not a text file (binary content).",
    },
    "knowledge.too_large": {
        "fr": "Le document dépasse la taille maximale acceptée ({megabytes} Mo).",
        "en": "The document exceeds the maximum accepted size ({megabytes} MB).",
    },
    "knowledge.embeddings_refused": {
        "fr": "Calcul des embeddings refusé : {reason}",
        "en": "Embeddings refused: {reason}",
    },
    "knowledge.embeddings_failed": {
        "fr": "Le calcul des embeddings a échoué : {reason}",
        "en": "Computing the embeddings failed: {reason}",
    },
    "knowledge.document_not_found": {
        "fr": "Ce document n'existe pas dans cette base de connaissances.",
        "en": "This document does not exist in this knowledge base.",
    },
    "knowledge.no_file": {
        "fr": "Joignez le document dans le champ « file » (multipart).",
        "en": "Attach the document in the « file » field (multipart).",
    },
    "knowledge.gateway_status": {
        "fr": "la passerelle a répondu {status}",
        "en": "the gateway answered {status}",
    },
}
