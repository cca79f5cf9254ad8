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
    # The risk questionnaire (risk.py), served with the map in the reader's language.
    "governance.question.prohibited": {
        "fr": "Le système note-t-il des personnes sur leur comportement social, reconnaît-il les émotions "
        "au travail, ou influence-t-il des personnes à leur insu ?",
        "en": "Does the system score people on their social behaviour, recognise emotions at work, or"
        " influence people without their knowledge?",
    },
    "governance.question.medical_device": {
        "fr": "Le système contribue-t-il au diagnostic, au traitement ou à la surveillance de patients "
        "(dispositif médical) ?",
        "en": "Does the system contribute to diagnosing, treating or monitoring patients (medical device)?",
    },
    "governance.question.employment": {
        "fr": "Sert-il à recruter, évaluer, promouvoir ou affecter des agents, ou à surveiller leur"
        " travail ?",
        "en": "Is it used to recruit, assess, promote or assign staff, or to monitor their work?",
    },
    "governance.question.essential_services": {
        "fr": "Décide-t-il ou oriente-t-il l'accès de personnes à des soins, des prestations ou des droits "
        "(priorisation, éligibilité, tri des urgences) ?",
        "en": "Does it decide or steer people's access to care, benefits or rights (prioritisation,"
        " eligibility, emergency triage)?",
    },
    "governance.question.biometrics": {
        "fr": "Identifie-t-il ou catégorise-t-il des personnes à partir de données biométriques ?",
        "en": "Does it identify or categorise people from biometric data?",
    },
    "governance.question.interacts": {
        "fr": "Dialogue-t-il avec des personnes ou produit-il des textes, des images ou des sons ?",
        "en": "Does it talk with people or produce texts, images or sounds?",
    },
    "governance.reference.prohibited": {
        "fr": "Règlement (UE) 2024/1689, art. 5",
        "en": "Regulation (EU) 2024/1689, art. 5",
    },
    "governance.reference.medical_device": {
        "fr": "art. 6 §1 et annexe I (règlement 2017/745)",
        "en": "art. 6 §1 and Annex I (Regulation 2017/745)",
    },
    "governance.reference.employment": {"fr": "annexe III, point 4", "en": "Annex III, point 4"},
    "governance.reference.essential_services": {"fr": "annexe III, point 5", "en": "Annex III, point 5"},
    "governance.reference.biometrics": {"fr": "annexe III, point 1", "en": "Annex III, point 1"},
    "governance.reference.interacts": {"fr": "art. 50 (transparence)", "en": "art. 50 (transparency)"},
    # What the map says of the systems it finds (inventory.py).
    "governance.workflow.meeting_summary": {"fr": "Synthèse de réunion citée", "en": "Cited meeting summary"},
    "governance.workflow.document_question": {
        "fr": "Question sur les documents SharePoint",
        "en": "Question on SharePoint documents",
    },
    "governance.workflow.tool_agent": {"fr": "Agent à outils", "en": "Tool agent"},
    "governance.workflow.knowledge_question": {
        "fr": "Réponse à partir des documents de référence",
        "en": "Answer from the reference documents",
    },
    "governance.workflow.robot_request": {"fr": "Demande de robot", "en": "Robot request"},
    "governance.unset_service": {"fr": "Non renseigné", "en": "Not given"},
    "governance.no_rule": {"fr": "(aucune règle)", "en": "(no rule)"},
    "governance.local_robot": {"fr": "robot local", "en": "local robot"},
    "governance.workflow_description": {
        "fr": "Graphe LangGraph d'Ariane ; sans modèle génératif autorisé, méthode extractive locale.",
        "en": "Ariane's LangGraph graph; without an allowed generative model, a local extractive method.",
    },
    "governance.intake_description": {
        "fr": "OCR (Tesseract), structuration par règles, rapprochement patient et séjour.",
        "en": "OCR (Tesseract), rule-based structuring, matching with the patient and the stay.",
    },
    "governance.batch_description": {
        "fr": "Un modèle de courrier appliqué à chaque ligne d'un tableau, par la passerelle.",
        "en": "A letter template applied to each row of a table, through the gateway.",
    },
    "governance.external_description": {
        "fr": "{provider} — service public d'IA générative vu dans les journaux du proxy",
        "en": "{provider} — public generative AI service seen in the proxy logs",
    },
    # Where the map found each system (inventory.py).
    "governance.source.models": {"fr": "Catalogue de modèles", "en": "Model catalogue"},
    "governance.source.tools": {"fr": "Registre des outils MCP", "en": "MCP tool registry"},
    "governance.source.robots": {"fr": "Catalogue des robots", "en": "Robot catalogue"},
    "governance.source.intake": {"fr": "Module Courrier entrant", "en": "Courrier entrant module"},
    "governance.source.batches": {"fr": "Module Courriers en série", "en": "Courriers en série module"},
    "governance.source.proxy": {"fr": "Journaux du proxy", "en": "Proxy logs"},
    "governance.source.proxy_report": {"fr": "Journaux du proxy ({report})", "en": "Proxy logs ({report})"},
    "governance.unset_job_category": {"fr": "Non renseignée", "en": "Not given"},
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
