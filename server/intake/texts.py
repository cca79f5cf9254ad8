"""The paper mail intake's texts in French and English (part of `server.messages.MESSAGES`).

Used by `reader.py`, `ocr.py`, `dpi.py`, `service.py`, `routes.py`, `pipeline.py` and `matching.py`. What
the pipeline stores with a document (its last error, the match's reasons) is stored in French and
shown in the reader's language (the error by id, the reasons recognised among their texts).
"""

from __future__ import annotations

INTAKE_TEXTS: dict[str, dict[str, str]] = {
    # The scan reader (reader.py, ocr.py).
    "intake.unsupported_format": {
        "fr": "Format non pris en charge : déposez un PDF, PNG, JPEG ou TIFF.",
        "en": "Format not supported: upload a PDF, PNG, JPEG or TIFF file.",
    },
    "intake.image_too_large": {
        "fr": "Image trop grande pour un scan de courrier.",
        "en": "Image too large for a scanned letter.",
    },
    "intake.unreadable_file": {
        "fr": "Fichier illisible ou endommagé.",
        "en": "Unreadable or damaged file.",
    },
    "intake.too_many_pages": {
        "fr": "Trop de pages ({count}) : {limit} au plus par document.",
        "en": "Too many pages ({count}): at most {limit} per document.",
    },
    "intake.unreadable_page": {
        "fr": "Page {number} illisible ou endommagée.",
        "en": "Page {number} unreadable or damaged.",
    },
    "intake.encrypted_pdf": {
        "fr": "PDF chiffré : déposez le scan sans mot de passe.",
        "en": "Encrypted PDF: upload the scan without a password.",
    },
    "intake.unreadable_pdf": {"fr": "PDF illisible ou endommagé.", "en": "Unreadable or damaged PDF."},
    "intake.unreadable_pdf_page": {
        "fr": "Page {number} du PDF illisible.",
        "en": "Page {number} of the PDF is unreadable.",
    },
    "intake.no_scanned_image": {
        "fr": "La page {number} du PDF ne contient pas d'image numérisée.",
        "en": "Page {number} of the PDF contains no scanned image.",
    },
    "intake.ocr_failed": {
        "fr": "La reconnaissance de texte a échoué sur une page.",
        "en": "Text recognition failed on a page.",
    },
    "intake.ocr_unavailable": {
        "fr": "La reconnaissance de texte (Tesseract) n'est pas installée.",
        "en": "Text recognition (Tesseract) is not installed.",
    },
    "intake.ocr_timeout": {
        "fr": "La lecture du scan a pris trop de temps.",
        "en": "Reading the scan took too long.",
    },
    "intake.reading_interrupted": {
        "fr": "Fichier illisible : la lecture s'est interrompue (limites atteintes).",
        "en": "Unreadable file: reading stopped (limits reached).",
    },
    # The DPI (dpi.py).
    "intake.dpi_unreachable": {"fr": "DPI injoignable.", "en": "The DPI cannot be reached."},
    "intake.dpi_unavailable": {
        "fr": "DPI indisponible ({status}).",
        "en": "The DPI is unavailable ({status}).",
    },
    "intake.dpi_refused": {"fr": "Le DPI refuse : {detail}.", "en": "The DPI refuses: {detail}."},
    # The API (service.py, routes.py).
    "intake.scan_too_large": {
        "fr": "Scan trop volumineux : {megabytes} Mo au plus.",
        "en": "Scan too large: at most {megabytes} MB.",
    },
    "intake.empty_file": {"fr": "Le fichier est vide.", "en": "The file is empty."},
    "intake.document_not_found": {"fr": "Document inconnu.", "en": "Unknown document."},
    "intake.page_not_found": {"fr": "Page inconnue.", "en": "Unknown page."},
    "intake.not_waiting": {
        "fr": "Ce document n'attend plus de validation.",
        "en": "This document no longer awaits validation.",
    },
    "intake.just_handled": {
        "fr": "Ce document vient d'être traité par quelqu'un d'autre.",
        "en": "This document was just handled by someone else.",
    },
    "intake.choose_patient": {
        "fr": "Choisissez le patient et le séjour.",
        "en": "Choose the patient and the stay.",
    },
    "intake.unknown_fields": {"fr": "Champ inconnu : {fields}.", "en": "Unknown field: {fields}."},
    "intake.stay_not_of_patient": {
        "fr": "Ce séjour n'appartient pas à ce patient dans le DPI.",
        "en": "This stay does not belong to this patient in the DPI.",
    },
    "intake.search_needs_criteria": {
        "fr": "Indiquez un IPP, un nom ou une date de naissance.",
        "en": "Give an IPP, a name or a date of birth.",
    },
    "intake.not_failed": {
        "fr": "Seul un document en échec peut être relancé.",
        "en": "Only a failed document can be restarted.",
    },
    "intake.disabled": {
        "fr": "Le courrier entrant n'est pas activé sur ce serveur.",
        "en": "Incoming mail is not enabled on this server.",
    },
    "intake.no_files": {
        "fr": "Joignez les scans dans le champ « files » (multipart).",
        "en": "Attach the scans in the « files » field (multipart).",
    },
    # A step's failure, stored with the document (pipeline.py).
    "intake.step_crashed": {
        "fr": "Erreur inattendue à l'étape « {step} » ({error}), tentative {attempt} sur {allowed} :"
        " si elle persiste, signalez-la à l'administrateur.",
        "en": "Unexpected error at the « {step} » step ({error}), attempt {attempt} of {allowed}:"
        " if it persists, report it to the administrator.",
    },
    "intake.step_interrupted": {
        "fr": "Le traitement s'est interrompu {attempts} fois à l'étape « {step} » : relancez-le.",
        "en": "Processing stopped {attempts} times at the « {step} » step: run it again.",
    },
    "intake.step.received": {"fr": "lecture", "en": "reading"},
    "intake.step.read": {"fr": "structuration", "en": "structuring"},
    "intake.step.structured": {"fr": "rapprochement", "en": "matching"},
    "intake.step.matched": {"fr": "décision", "en": "decision"},
    "intake.step.integrating": {"fr": "intégration au DPI", "en": "filing in the DPI"},
    # Why a candidate was proposed, and why no patient or stay was chosen (matching.py).
    "intake.reason.name": {"fr": "nom {score}", "en": "name {score}"},
    "intake.reason.ipp_same": {"fr": "IPP identique", "en": "same IPP"},
    "intake.reason.birth_same": {"fr": "date de naissance identique", "en": "same birth date"},
    "intake.reason.ipp_differs": {"fr": "IPP différent", "en": "different IPP"},
    "intake.reason.search": {"fr": "recherche", "en": "search"},
    "intake.exception.unknown_patient": {
        "fr": "Aucun patient du DPI ne correspond.",
        "en": "No patient of the DPI matches.",
    },
    "intake.exception.several_patients": {
        "fr": "Plusieurs patients possibles.",
        "en": "Several possible patients.",
    },
    "intake.exception.no_stay": {
        "fr": "Aucun séjour du patient ne couvre les dates du document.",
        "en": "No stay of the patient covers the document's dates.",
    },
    "intake.exception.several_stays": {
        "fr": "Plusieurs séjours possibles.",
        "en": "Several possible stays.",
    },
}
