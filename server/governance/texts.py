"""The governance pages' refusals in French and English (part of `server.messages.MESSAGES`).

Used by `service.py` and by the shadow-AI reports (`shadow/service.py`, `shadow/editing.py`,
`shadow/routes.py`, `shadow/parsing.py`, `shadow/catalogue.py`).
"""

from __future__ import annotations

GOVERNANCE_TEXTS: dict[str, dict[str, str]] = {
    # The AI systems' inventory (service.py).
    "governance.system_not_found": {
        "fr": "Ce système d'IA n'existe pas dans la cartographie.",
        "en": "This AI system is not in the inventory.",
    },
    "governance.unknown_question": {
        "fr": "Question inconnue dans le questionnaire de risque : {questions}.",
        "en": "Unknown question in the risk questionnaire: {questions}.",
    },
    "governance.invalid_floor": {
        "fr": "Un seuil de score est compris entre 0 et 1.",
        "en": "A score floor lies between 0 and 1.",
    },
    # Shadow-AI reports (shadow/).
    "governance.report_not_found": {"fr": "Ce rapport n'existe pas.", "en": "This report does not exist."},
    "governance.log_too_large": {
        "fr": "Le journal dépasse la taille maximale acceptée ({limit} Mo) : découpez-le par période.",
        "en": "The log exceeds the maximum size accepted ({limit} MB): split it by period.",
    },
    "governance.directory_unavailable": {
        "fr": "L'annuaire est injoignable : le rapport ne peut pas être rapproché des services. "
        "Réessayez plus tard.",
        "en": "The directory cannot be reached: the report cannot be matched with the departments."
        " Try again later.",
    },
    "governance.service_not_found": {
        "fr": "Le catalogue ne contient pas le service « {service} ».",
        "en": "The catalogue does not contain the service « {service} ».",
    },
    "governance.log_empty": {"fr": "Le journal est vide.", "en": "The log is empty."},
    "governance.csv_columns_missing": {
        "fr": "Export CSV sans colonne {columns} dans sa première ligne (en-tête attendu : heure,"
        " utilisateur, hôte ou URL, octets).",
        "en": "CSV export without a {columns} column in its first line (header expected: time, user,"
        " host or URL, bytes).",
    },
    "governance.log_column.time": {"fr": "d'heure", "en": "time"},
    "governance.log_column.user": {"fr": "d'utilisateur", "en": "user"},
    "governance.log_column.host": {"fr": "d'hôte ou d'URL", "en": "host or URL"},
    "governance.log_column.bytes": {"fr": "d'octets", "en": "bytes"},
    # The shadow-AI catalogue's problems (shadow/catalogue.py, shadow/service.py).
    "governance.invalid_catalogue": {
        "fr": "Catalogue invalide : {errors}",
        "en": "Invalid catalogue: {errors}",
    },
    "governance.catalogue.separator": {"fr": " ; ", "en": "; "},
    "governance.catalogue.at": {"fr": "{where} : {message}", "en": "{where}: {message}"},
    "governance.catalogue.as_is": {"fr": "{message}", "en": "{message}"},
    "governance.catalogue.declared_twice": {
        "fr": "service {service} : déclaré deux fois",
        "en": "service {service}: declared twice",
    },
    "governance.catalogue.domain_taken": {
        "fr": "domaine {domain} : déjà celui de {owner}, pas de {service}",
        "en": "domain {domain}: already {owner}'s, not {service}'s",
    },
    "governance.catalogue.yaml": {"fr": "YAML : {error}", "en": "YAML: {error}"},
    "governance.catalogue.not_a_mapping": {
        "fr": "le document doit être un dictionnaire YAML",
        "en": "the document must be a YAML mapping",
    },
    "governance.catalogue.format": {"fr": "format attendu : {format}", "en": "expected format: {format}"},
    "governance.catalogue.format.id": {
        "fr": "minuscules, chiffres et tirets (« mon-service »)",
        "en": "lower-case letters, digits and hyphens (« my-service »)",
    },
    "governance.catalogue.format.country": {
        "fr": "code de pays ISO à deux lettres majuscules (FR, US…)",
        "en": "two-letter upper-case ISO country code (FR, US…)",
    },
    "governance.catalogue.format.domains": {
        "fr": "nom de domaine (« exemple.ai »)",
        "en": "domain name (« example.ai »)",
    },
    "governance.catalogue.format.plain": {"fr": "texte simple", "en": "plain text"},
    "governance.catalogue.unknown_value": {
        "fr": "valeur inconnue (attendu : {expected})",
        "en": "unknown value (expected: {expected})",
    },
    "governance.catalogue.required": {"fr": "champ obligatoire", "en": "required field"},
    "governance.catalogue.unknown_field": {"fr": "champ inconnu", "en": "unknown field"},
    "governance.catalogue.empty": {"fr": "ne peut pas être vide", "en": "cannot be empty"},
    "governance.catalogue.too_long": {"fr": "trop long", "en": "too long"},
    "governance.catalogue.schema_version": {
        "fr": "version du schéma non prise en charge (attendu : 1)",
        "en": "schema version not supported (expected: 1)",
    },
    "governance.catalogue.invalid": {"fr": "valeur invalide", "en": "invalid value"},
    # A system's history and its evaluations' failures, shown in the reader's language (service.py,
    # drift.py); alerts and failures are stored by id beside their French.
    "governance.history.sheet": {"fr": "Fiche modifiée : {fields}", "en": "Sheet changed: {fields}"},
    "governance.history.alert": {"fr": "Alerte", "en": "Alert"},
    "governance.history.version": {
        "fr": "Version {version} de l'assistant enregistrée",
        "en": "Assistant version {version} saved",
    },
    "governance.history.policy": {
        "fr": "Politique des modèles, version {version}",
        "en": "Model policy, version {version}",
    },
    "governance.history.policy_comment": {
        "fr": "Politique des modèles, version {version} : {comment}",
        "en": "Model policy, version {version}: {comment}",
    },
    "governance.history.evaluation": {
        "fr": "Évaluation « {suite} » ({reason}) : {outcome}",
        "en": "Evaluation « {suite} » ({reason}): {outcome}",
    },
    "governance.alert.recovered": {
        "fr": "Score {scorer} ({suite}) revenu à {value}",
        "en": "Score {scorer} ({suite}) back to {value}",
    },
    "governance.alert.below_floor": {
        "fr": "Alerte : {scorer} ({suite}) à {value}, sous le seuil {floor}",
        "en": "Alert: {scorer} ({suite}) at {value}, below the floor {floor}",
    },
    "governance.alert.drop": {
        "fr": "Alerte : {scorer} ({suite}) passé de {before} à {value}",
        "en": "Alert: {scorer} ({suite}) went from {before} to {value}",
    },
    "governance.eval.timeout": {
        "fr": "évaluation interrompue après {seconds} s",
        "en": "evaluation stopped after {seconds} s",
    },
    "governance.eval.exit_code": {"fr": "échec (code {code})", "en": "failure (code {code})"},
}
