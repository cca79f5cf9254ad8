"""The batch pages' refusals in French and English (part of `server.messages.MESSAGES`).

Used by `reading.py`, `template.py`, `service.py`, `routes.py`, `sharepoint.py`, `sending.py`,
`runner.py`, `runtime.py` and `replay.py`.
"""

from __future__ import annotations

BATCHES_TEXTS: dict[str, dict[str, str]] = {
    # Reading the table (reading.py).
    "batches.megabytes": {"fr": "{whole},{tenth} Mo", "en": "{whole}.{tenth} MB"},
    "batches.file_too_large": {
        "fr": "Le fichier fait {size} : la limite est de {limit}. Découpez l'export en plusieurs fichiers.",
        "en": "The file is {size}: the limit is {limit}. Split the export into several files.",
    },
    "batches.file_over_limit": {
        "fr": "Le fichier dépasse la limite de {limit} Mo.",
        "en": "The file exceeds the limit of {limit} MB.",
    },
    "batches.empty_file": {"fr": "Le fichier est vide.", "en": "The file is empty."},
    "batches.unsupported_format": {
        "fr": "Le format .{suffix} n'est pas pris en charge : enregistrez le tableau en .xlsx ou en .csv.",
        "en": "The .{suffix} format is not supported: save the table as .xlsx or .csv.",
    },
    "batches.csv_xlsx_only": {
        "fr": "Seuls les fichiers CSV et XLSX sont acceptés.",
        "en": "Only CSV and XLSX files are accepted.",
    },
    "batches.unknown_encoding_at": {
        "fr": "Encodage non reconnu (octet 0x{byte} ligne {line}) : le fichier n'est ni en UTF-8 ni en"
        " Windows-1252. Enregistrez-le depuis Excel au format « CSV UTF-8 ».",
        "en": "Unknown encoding (byte 0x{byte} line {line}): the file is neither UTF-8 nor Windows-1252."
        " Save it from Excel as « CSV UTF-8 ».",
    },
    "batches.unknown_encoding": {
        "fr": "Encodage non reconnu : le fichier contient des octets nuls ou n'est pas un texte. "
        "Enregistrez-le depuis Excel au format « CSV UTF-8 ».",
        "en": "Unknown encoding: the file contains null bytes or is not text. Save it from Excel as"
        " « CSV UTF-8 ».",
    },
    "batches.unreadable_line": {
        "fr": "Ligne {line} illisible ({error}) : vérifiez les guillemets.",
        "en": "Line {line} cannot be read ({error}): check the quotes.",
    },
    "batches.workbook_too_large": {
        "fr": "Le classeur décompressé dépasse 200 Mo : il est refusé.",
        "en": "The unpacked workbook exceeds 200 MB: it is refused.",
    },
    "batches.too_complex": {
        "fr": "Ce tableau est trop lourd ou trop complexe à lire (« {name} ») : sa lecture dépasse les"
        " limites de mémoire ou de temps du serveur. Enregistrez-le en CSV, ou n'en gardez que les"
        " colonnes et les lignes utiles.",
        "en": "This table is too heavy or too complex to read (« {name} »): reading it exceeds the"
        " server's memory or time limits. Save it as CSV, or keep only the useful columns and rows.",
    },
    "batches.unreadable_workbook": {
        "fr": "Classeur XLSX illisible ({error}) : enregistrez-le à nouveau depuis Excel.",
        "en": "Unreadable XLSX workbook ({error}): save it again from Excel.",
    },
    "batches.formula": {
        "fr": "Le fichier contient une formule ({where} : « {value} ») : exportez les valeurs seules "
        "(aucune formule n'est exécutée ni transmise).",
        "en": "The file contains a formula ({where}: « {value} »): export the values only (no formula is"
        " run or passed on).",
    },
    "batches.where_header": {"fr": "en-tête, colonne {index}", "en": "header, column {index}"},
    "batches.where_cell": {
        "fr": "ligne {number}, colonne « {column} »",
        "en": "row {number}, column « {column} »",
    },
    "batches.header_only": {
        "fr": "Le fichier ne contient que l'en-tête : aucune ligne à traiter.",
        "en": "The file contains only the header: no row to process.",
    },
    "batches.too_many_rows": {
        "fr": "Le fichier a plus de {limit} lignes : découpez-le.",
        "en": "The file has more than {limit} rows: split it.",
    },
    "batches.ragged_row": {
        "fr": "La ligne {number} a plus de valeurs ({values}) que l'en-tête n'a de colonnes ({columns}).",
        "en": "Row {number} has more values ({values}) than the header has columns ({columns}).",
    },
    "batches.missing_header": {
        "fr": "La première ligne doit nommer les colonnes.",
        "en": "The first row must name the columns.",
    },
    "batches.too_many_columns": {
        "fr": "Le fichier a plus de {limit} colonnes.",
        "en": "The file has more than {limit} columns.",
    },
    "batches.unnamed_column": {
        "fr": "La colonne {index} n'a pas de nom.",
        "en": "Column {index} has no name.",
    },
    "batches.duplicate_column": {
        "fr": "Les colonnes « {first} » et « {second} » portent le même nom.",
        "en": "Columns « {first} » and « {second} » have the same name.",
    },
    "batches.cell_too_long": {
        "fr": "La valeur de la ligne {number}, colonne « {column} », dépasse {limit} caractères.",
        "en": "The value of row {number}, column « {column} », exceeds {limit} characters.",
    },
    "batches.cell_control": {
        "fr": "La valeur de la ligne {number}, colonne « {column} », contient des caractères de contrôle.",
        "en": "The value of row {number}, column « {column} », contains control characters.",
    },
    # Templates (template.py); `what` is one of the `batches.what.*` texts.
    "batches.what.template": {"fr": "Le modèle", "en": "The template"},
    "batches.what.instruction": {"fr": "La consigne", "en": "The instruction"},
    "batches.what.letter": {"fr": "Le modèle de courrier", "en": "The letter template"},
    "batches.template_too_long": {
        "fr": "{what} dépasse {limit} caractères.",
        "en": "{what} exceeds {limit} characters.",
    },
    "batches.template_braces": {
        "fr": "{what} contient des accolades non refermées (près de « {near} »).",
        "en": "{what} contains unclosed braces (near « {near} »).",
    },
    "batches.template_empty_field": {
        "fr": "{what} contient un champ vide « {field} ».",
        "en": "{what} contains an empty field « {field} ».",
    },
    "batches.template_unknown_column": {
        "fr": "{what} utilise la colonne « {name} », absente du tableau.{hint} "
        "Colonnes disponibles : {columns}.",
        "en": "{what} uses the column « {name} », which is not in the table.{hint} "
        "Available columns: {columns}.",
    },
    "batches.close_columns": {"fr": " Colonnes proches : {columns}.", "en": " Close columns: {columns}."},
    # The batch's life (service.py, routes.py).
    "batches.not_found": {"fr": "Traitement introuvable.", "en": "Batch not found."},
    "batches.launched_frozen": {
        "fr": "Ce traitement est lancé : il ne peut plus être modifié.",
        "en": "This batch is launched: it can no longer be changed.",
    },
    "batches.already_launched": {
        "fr": "Ce traitement est déjà lancé.",
        "en": "This batch is already launched.",
    },
    "batches.template_required": {
        "fr": "Écrivez le modèle de courrier avant de lancer.",
        "en": "Write the letter template before launching.",
    },
    "batches.model_required": {
        "fr": "Choisissez un modèle, ou le publipostage sans modèle.",
        "en": "Choose a model, or the mail merge without a model.",
    },
    "batches.pause_running_only": {
        "fr": "Seul un traitement en cours peut être mis en pause.",
        "en": "Only a running batch can be paused.",
    },
    "batches.resume_paused_only": {
        "fr": "Seul un traitement en pause ou en échec peut être repris.",
        "en": "Only a paused or failed batch can be resumed.",
    },
    "batches.not_launched": {
        "fr": "Ce traitement n'est pas lancé : supprimez-le plutôt.",
        "en": "This batch is not launched: delete it instead.",
    },
    "batches.already_finished": {
        "fr": "Ce traitement est déjà terminé.",
        "en": "This batch is already finished.",
    },
    "batches.text_required": {
        "fr": "Donnez le texte corrigé du courrier.",
        "en": "Give the corrected text of the letter.",
    },
    "batches.row_not_done": {
        "fr": "Seule une ligne traitée peut être relue.",
        "en": "Only a processed row can be reviewed.",
    },
    "batches.file_missing": {
        "fr": "Joignez le tableau dans le champ « file » (multipart).",
        "en": "Attach the table in the « file » field (multipart).",
    },
    "batches.nothing_to_export": {
        "fr": "Aucun courrier ne peut sortir : relisez et acceptez des lignes traitées d'abord.",
        "en": "No letter can go out: review and accept processed rows first.",
    },
    "batches.unknown_data_class": {
        "fr": "Classe de données inconnue (public, internal, personal, health).",
        "en": "Unknown data class (public, internal, personal, health).",
    },
    # Why no model is offered (policy.py); `data` is one of the `batches.data_class.*` texts.
    "batches.no_model": {
        "fr": "Aucun modèle de langage n'est configuré ou autorisé pour votre profil : le publipostage "
        "sans modèle reste possible.",
        "en": "No language model is configured or allowed for your profile: the mail merge without a"
        " model remains possible.",
    },
    "batches.no_model_for_class": {
        "fr": "Ce tableau contient des {data} : aucun des modèles autorisés pour votre profil ({models}) ne"
        " peut les recevoir. Le publipostage sans modèle reste possible.",
        "en": "This table contains {data}: none of the models allowed for your profile ({models}) may"
        " receive them. The mail merge without a model remains possible.",
    },
    "batches.data_class.public": {"fr": "données publiques", "en": "public data"},
    "batches.data_class.internal": {"fr": "données internes", "en": "internal data"},
    "batches.data_class.personal": {"fr": "données personnelles", "en": "personal data"},
    "batches.data_class.health": {"fr": "données de santé", "en": "health data"},
    # SharePoint tables (sharepoint.py).
    "batches.m365_unavailable": {
        "fr": "Microsoft 365 est indisponible : réessayez dans un instant.",
        "en": "Microsoft 365 is unavailable: try again in a moment.",
    },
    "batches.invalid_document_id": {
        "fr": "Identifiant de document invalide : « {id} » (attendu : lecteur:élément).",
        "en": "Invalid document id: « {id} » (expected: drive:item).",
    },
    "batches.document_not_found": {
        "fr": "Document introuvable ou inaccessible.",
        "en": "Document not found or not accessible.",
    },
    "batches.document_too_large": {
        "fr": "« {name} » dépasse la limite de {limit} Mo.",
        "en": "« {name} » exceeds the limit of {limit} MB.",
    },
    # A row's call that went wrong (sending.py), written with the row in the batch's language.
    "batches.gateway_unreachable": {
        "fr": "passerelle injoignable ({error})",
        "en": "gateway unreachable ({error})",
    },
    "batches.empty_answer": {
        "fr": "Le modèle n'a pas répondu : {error}.",
        "en": "The model did not answer: {error}.",
    },
    "batches.gateway_status": {
        "fr": "erreur {status} de la passerelle",
        "en": "gateway error {status}",
    },
    "batches.request_refused": {
        "fr": "requête refusée ({status})",
        "en": "request refused ({status})",
    },
    "batches.attempts": {
        "fr": "{message} — {attempt} tentatives",
        "en": "{message} — {attempt} attempts",
    },
    # Why a running batch stopped (runner.py, runtime.py), in the batch's language.
    "batches.session_expired": {
        "fr": "Votre session a expiré : reprenez le traitement pour l'achever.",
        "en": "Your session has expired: resume the batch to finish it.",
    },
    "batches.audit_down": {
        "fr": "Journal d'audit indisponible : le traitement est arrêté ({reason}).",
        "en": "Audit log unavailable: the batch is stopped ({reason}).",
    },
    "batches.crashed": {
        "fr": "Le traitement s'est arrêté sur une erreur inattendue ({error}) : reprenez-le ou signalez-le.",
        "en": "The batch stopped on an unexpected error ({error}): resume it or report it.",
    },
    # Replay (replay.py).
    "batches.start_not_found": {
        "fr": "L'enregistrement du début de ce traitement est introuvable.",
        "en": "The record of this batch's start cannot be found.",
    },
    "batches.not_captured": {  # `missing` lists `audit.missing.*` texts
        "fr": "Rejeu impossible : le contenu de ce traitement n'a pas été capturé ({missing}).",
        "en": "Replay impossible: the content of this batch was not captured ({missing}).",
    },
    # A batch's replay report (replay.py), for the auditor reading it; its status values never change.
    "batches.replay.an_answer": {"fr": "une réponse enregistrée", "en": "a recorded answer"},
    "batches.replay.no_answer": {"fr": "aucune", "en": "none"},
    "batches.replay.identical": {
        "fr": "identique — {rows} ligne(s) reproduite(s) depuis l'enregistrement.",
        "en": "identical — {rows} row(s) reproduced from the record.",
    },
    "batches.replay.divergence": {
        "fr": "divergence à la ligne {row} ({kind})",
        "en": "divergence at row {row} ({kind})",
    },
    "batches.replay.expected": {"fr": "  attendu : {value}", "en": "  expected: {value}"},
    "batches.replay.got": {"fr": "  obtenu  : {value}", "en": "  got     : {value}"},
    "batches.replay.what_if": {
        "fr": "Rejeu avec le modèle {model} : {changed} ligne(s) différente(s) sur {rows}",
        "en": "Replay with model {model}: {changed} row(s) different out of {rows}",
    },
    "batches.replay.row": {"fr": "— ligne {row} : {status}", "en": "— row {row}: {status}"},
}
