"""The mail server's refusals, in French and English (rendered in the caller's language)."""

from __future__ import annotations

from tools.i18n import Catalogue

TEXTS = Catalogue(
    {
        "bad_mailbox": {
            "fr": "Boîte aux lettres non comprise : « {mailbox} » (une adresse).",
            "en": "Mailbox not understood: « {mailbox} » (an address).",
        },
        "the_mailbox": {"fr": "la boîte « {mailbox} »", "en": "mailbox « {mailbox} »"},
        "your_mailbox": {"fr": "votre boîte aux lettres", "en": "your mailbox"},
        "the_message": {"fr": "le message « {id} » de {box}", "en": "message « {id} » of {box}"},
        "the_sending": {"fr": "l'envoi de votre message", "en": "sending your message"},
        "unknown_folder": {
            "fr": "Dossier inconnu « {folder} » ; dossiers : {folders}.",
            "en": "Unknown folder « {folder} »; folders: {folders}.",
        },
        "bad_top": {
            "fr": "Le nombre de messages demandé va de 1 à {max}.",
            "en": "The number of messages asked for goes from 1 to {max}.",
        },
        "bad_address": {
            "fr": "Adresse invalide dans « {field} » : {addresses}.",
            "en": "Invalid address in « {field} »: {addresses}.",
        },
        "no_recipient": {
            "fr": "Au moins un destinataire est nécessaire.",
            "en": "At least one recipient is needed.",
        },
        "too_many_recipients": {
            "fr": "Au plus {max} destinataires par message.",
            "en": "At most {max} recipients per message.",
        },
        "bad_subject": {
            "fr": "L'objet est requis et tient en {max} caractères.",
            "en": "The subject is required and fits in {max} characters.",
        },
        "body_too_long": {
            "fr": "Le texte dépasse {max} caractères.",
            "en": "The text is longer than {max} characters.",
        },
    }
)
