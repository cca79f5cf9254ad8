"""The attachments' texts in French and English (part of `server.messages.MESSAGES`).

Used by `reading.py`, `service.py` and `routes.py`; file names are parameters, never part of an id.
"""

from __future__ import annotations

ATTACHMENTS_TEXTS: dict[str, dict[str, str]] = {
    "attachments.too_large": {
        "fr": "Le fichier dépasse la taille maximale d'une pièce jointe ({megabytes} Mo).",
        "en": "The file exceeds the maximum size of an attachment ({megabytes} MB).",
    },
    "attachments.no_name": {"fr": "Le fichier joint n'a pas de nom.", "en": "The attached file has no name."},
    "attachments.too_many": {
        "fr": "Une conversation peut avoir au plus {limit} pièces jointes : retirez-en une d'abord.",
        "en": "A conversation may have at most {limit} attachments: remove one first.",
    },
    "attachments.no_text": {
        "fr": "« {name} » ne contient aucun texte exploitable.",
        "en": "« {name} » contains no usable text.",
    },
    "attachments.too_long": {
        "fr": "« {name} » est trop long pour une pièce jointe ({chunks} passages, au plus {limit}) :"
        " ajoutez-le plutôt aux documents de référence d'un assistant.",
        "en": "« {name} » is too long for an attachment ({chunks} passages, at most {limit}): add it to"
        " an assistant's reference documents instead.",
    },
    "attachments.embeddings_refused": {
        "fr": "Lecture de la pièce jointe refusée : {reason}",
        "en": "Reading the attachment refused: {reason}",
    },
    "attachments.embeddings_failed": {
        "fr": "La lecture de la pièce jointe a échoué : {reason}",
        "en": "Reading the attachment failed: {reason}",
    },
    "attachments.not_found": {
        "fr": "Cette pièce jointe n'existe pas dans cette conversation.",
        "en": "This attachment does not exist in this conversation.",
    },
    "attachments.unavailable": {
        "fr": "Les pièces jointes ne sont pas disponibles.",
        "en": "Attachments are not available.",
    },
    "attachments.no_file": {
        "fr": "Joignez le fichier dans le champ « file » (multipart).",
        "en": "Attach the file in the « file » field (multipart).",
    },
    "attachments.not_an_image": {
        "fr": "« {name} » n'est pas une image lisible (fichier corrompu ?).",
        "en": "« {name} » is not a readable image (corrupt file?).",
    },
    "attachments.unsupported_type": {
        "fr": "Format non pris en charge pour « {name} » : joignez un fichier PDF, DOCX, TXT ou image"
        " scannée (PNG, JPEG, TIFF).",
        "en": "Format not supported for « {name} »: attach a PDF, DOCX, TXT file or a scanned image"
        " (PNG, JPEG, TIFF).",
    },
    "attachments.ocr_unavailable": {
        "fr": "« {name} » est une image : la reconnaissance de texte (OCR) n'est pas installée sur ce"
        " serveur, elle ne peut donc pas être lue. Joignez un fichier PDF, DOCX ou TXT.",
        "en": "« {name} » is an image: text recognition (OCR) is not installed on this server, so it"
        " cannot be read. Attach a PDF, DOCX or TXT file.",
    },
    "attachments.unreadable_scan": {"fr": "« {name} » : {reason}", "en": "« {name} »: {reason}"},
    "attachments.no_readable_text": {
        "fr": "« {name} » ne contient aucun texte lisible (image vide ou illisible).",
        "en": "« {name} » contains no readable text (empty or unreadable image).",
    },
}
