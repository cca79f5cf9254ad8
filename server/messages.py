"""The server's fixed texts in French and English, by id (`tools.i18n`).

French is what staff read by default; English when their client asks for it (`Accept-Language`).
`tests/test_messages.py` checks that every id has both and that they fill in the same names.
"""

from __future__ import annotations

from server.admin.texts import ADMIN_TEXTS
from server.assistants.texts import ASSISTANTS_TEXTS
from server.attachments.texts import ATTACHMENTS_TEXTS
from server.audit.texts import AUDIT_TEXTS
from server.auth.texts import AUTH_TEXTS
from server.automations.texts import AUTOMATIONS_TEXTS
from server.batches.texts import BATCHES_TEXTS
from server.edge.texts import EDGE_TEXTS
from server.gateway.policy_texts import POLICY_TEXTS
from server.gateway.texts import GATEWAY_TEXTS
from server.governance.texts import GOVERNANCE_TEXTS
from server.health.texts import HEALTH_TEXTS
from server.intake.texts import INTAKE_TEXTS
from server.knowledge.texts import KNOWLEDGE_TEXTS
from server.registry.texts import REGISTRY_TEXTS
from server.robots.texts import ROBOTS_TEXTS
from tools.i18n import Catalogue
from tools.robots.catalogue import INPUT_TEXT_ENTRIES

MESSAGES = Catalogue(
    {
        # Envelopes of every /api error (server/errors.py).
        "error.invalid_request": {
            "fr": "Requête invalide ({fields}).",
            "en": "Invalid request ({fields}).",
        },
        "error.not_found_path": {"fr": "Cette adresse n'existe pas.", "en": "This address does not exist."},
        "error.method_not_allowed": {
            "fr": "Méthode non permise sur cette adresse (permises : {allowed}).",
            "en": "Method not allowed on this address (allowed: {allowed}).",
        },
        "error.none": {"fr": "aucune", "en": "none"},
        "error.internal": {
            "fr": "Erreur interne : l'incident est enregistré, réessayez plus tard.",
            "en": "Internal error: the incident is recorded, try again later.",
        },
        # Reading an uploaded file in its bounded reader (server/knowledge/bounded.py, server/attachments).
        "reading.too_complex": {
            "fr": "Ce fichier est trop lourd ou trop complexe à lire (« {name} ») : sa lecture dépasse les"
            " limites de mémoire ou de temps du serveur. Enregistrez-le sous une forme plus simple"
            " (PDF exporté, moins de pages) ou n'en joignez que la partie utile.",
            "en": "This file is too heavy or too complex to read (« {name} »): reading it exceeds the"
            " server's memory or time limits. Save it in a simpler form (exported PDF, fewer pages) or"
            " attach only the useful part.",
        },
        # The document viewer (server/documents/service.py).
        "documents.not_found": {
            "fr": "Ce document n'existe pas ou vous n'avez pas accès à ce document.",
            "en": "This document does not exist or you do not have access to it.",
        },
        "reading.too_long": {
            "fr": "« {name} » est trop long pour une pièce jointe (au plus {pages} pages et {chars}"
            " caractères de texte) : ajoutez-le plutôt aux documents de référence d'un assistant.",
            "en": "« {name} » is too long for an attachment (at most {pages} pages and {chars} characters"
            " of text): add it to an assistant's reference documents instead.",
        },
        "attachments.rate_limited": {
            "fr": "Vous avez joint trop de fichiers en peu de temps (au plus {limit} en {minutes} minutes) :"
            " réessayez dans quelques minutes.",
            "en": "You attached too many files in a short time (at most {limit} in {minutes} minutes):"
            " try again in a few minutes.",
        },
        # Identity (server/deps.py, server/auth).
        "auth.token_required": {
            "fr": "Connexion requise : présentez un jeton d'accès.",
            "en": "Sign-in required: present an access token.",
        },
        "auth.role_required": {
            "fr": "Votre profil ne donne pas accès à cette fonction.",
            "en": "Your profile does not give access to this function.",
        },
        # Conversations and runs (server/chat).
        "chat.model_not_offered": {
            "fr": "Le modèle « {model} » n'est pas proposé avec cet assistant :"
            " choisissez-en un de la liste.",
            "en": "Model « {model} » is not offered with this assistant: choose one from the list.",
        },
        "chat.thread_not_found": {
            "fr": "Cette conversation n'existe pas.",
            "en": "This conversation does not exist.",
        },
        "chat.run_not_found": {"fr": "Cette réponse n'existe pas.", "en": "This answer does not exist."},
        "chat.message_empty": {"fr": "Le message est vide.", "en": "The message is empty."},
        "chat.message_too_long": {
            "fr": "Le message dépasse la limite de {limit} caractères ({length}).",
            "en": "The message exceeds the limit of {limit} characters ({length}).",
        },
        "chat.run_conflict": {
            "fr": "Une réponse est déjà en cours dans cette conversation : attendez ou arrêtez-la.",
            "en": "An answer is already under way in this conversation: wait or stop it.",
        },
        "chat.stopped": {"fr": "Réponse arrêtée à votre demande.", "en": "Answer stopped at your request."},
        "chat.interrupted": {
            "fr": "Le serveur qui préparait cette réponse s'est arrêté : posez la question à nouveau.",
            "en": "The server preparing this answer stopped: ask your question again.",
        },
        "chat.internal_error": {
            "fr": "Erreur interne : réessayez plus tard.",
            "en": "Internal error: try again later.",
        },
        "chat.assistant_refusal": {
            "fr": "L'assistant « {assistant} » ne peut pas répondre : {details} "
            "Prévenez son auteur pour qu'il le mette à jour.",
            "en": "Assistant « {assistant} » cannot answer: {details} Tell its author to update it.",
        },
        # Tool calls refused or held by the registry during a run (server/registry/runtime.py).
        "registry.tool_not_allowed": {
            "fr": "L'outil « {tool} » n'est pas ouvert à vous ou à cet assistant.",
            "en": "Tool « {tool} » is not open to you or to this assistant.",
        },
        "registry.confirmation_required": {
            "fr": "L'outil « {name} » peut modifier des données ou agir hors d'Ariane : il n'a pas été"
            " exécuté. Confirmez-vous cet appel avec les paramètres {arguments} ?",
            "en": "Tool « {name} » may change data or act outside Ariane: it was not run. Do you confirm"
            " this call with the parameters {arguments}?",
        },
        "registry.breaker_open": {
            "fr": "Le serveur d'outils « {server} » est momentanément écarté après des échecs répétés :"
            " réessayez dans {seconds} s.",
            "en": "Tool server « {server} » is set aside for a moment after repeated failures: try again"
            " in {seconds} s.",
        },
        "registry.rate_limited": {
            "fr": "Limite de {limit} appels par minute atteinte pour « {tool} ».",
            "en": "Limit of {limit} calls per minute reached for « {tool} ».",
        },
        "registry.timeout": {
            "fr": "L'outil « {tool} » n'a pas répondu dans les {seconds} s.",
            "en": "Tool « {tool} » did not answer within {seconds} s.",
        },
        "registry.failed": {
            "fr": "L'outil « {tool} » a échoué : {error}.",
            "en": "Tool « {tool} » failed: {error}.",
        },
        "registry.too_large": {
            "fr": "Le résultat de « {tool} » ({size} octets) dépasse la limite de {limit} octets.",
            "en": "The result of « {tool} » ({size} bytes) exceeds the limit of {limit} bytes.",
        },
        # The end of a robot request's conversation (server/robots/followup.py).
        "robot.succeeded": {
            "fr": "Le robot a terminé avec succès. Fichiers produits : {files}.",
            "en": "The robot finished successfully. Files produced: {files}.",
        },
        "robot.no_files": {"fr": "aucun", "en": "none"},
        "robot.failed": {
            "fr": "Le robot a échoué : {detail} Le journal de la tâche est disponible.",
            "en": "The robot failed: {detail} The job's log is available.",
        },
        "robot.failure": {"fr": "échec", "en": "failure"},
        # Confirmation cards of held tool calls (server/confirmations).
        "confirm.already_confirmed": {
            "fr": "Cette action a déjà été confirmée : elle ne s'exécute qu'une fois.",
            "en": "This action was already confirmed: it runs only once.",
        },
        "confirm.already_declined": {
            "fr": "Cette action a déjà été annulée : refaites la demande si besoin.",
            "en": "This action was already cancelled: ask again if needed.",
        },
        "confirm.not_found": {
            "fr": "Aucune action n'attend de confirmation pour cette réponse.",
            "en": "No action awaits confirmation for this answer.",
        },
        "confirm.just_decided": {
            "fr": "Cette action vient d'être décidée : elle ne s'exécute qu'une fois.",
            "en": "This action was just decided: it runs only once.",
        },
        "confirm.expired": {
            "fr": "Cette demande date de plus de {hours} h : l'action n'est pas exécutée. Refaites la demande"
            " si elle est toujours d'actualité.",
            "en": "This request is more than {hours} h old: the action is not run. Ask again if it still"
            " matters.",
        },
        "confirm.tool_removed": {
            "fr": "L'outil « {name} » a été retiré du registre : l'action n'est pas exécutée.",
            "en": "Tool « {name} » was removed from the registry: the action is not run.",
        },
        "confirm.tool_suspended": {
            "fr": "L'outil « {name} » est suspendu ou en attente de revue : l'action n'est pas exécutée.",
            "en": "Tool « {name} » is suspended or awaiting review: the action is not run.",
        },
        "confirm.tool_changed": {
            "fr": "L'outil « {name} » a changé depuis votre demande : l'action n'est pas exécutée. Refaites"
            " la demande pour qu'elle porte sur l'outil tel qu'il est approuvé aujourd'hui.",
            "en": "Tool « {name} » changed since your request: the action is not run. Ask again so that"
            " it applies to the tool as approved today.",
        },
        "confirm.tool_not_allowed": {
            "fr": "L'outil « {name} » ne vous est plus ouvert : l'action n'est pas exécutée.",
            "en": "Tool « {name} » is no longer open to you: the action is not run.",
        },
        # Robots, approvals and jobs (server/robots).
        "robots.disabled": {
            "fr": "Les robots ne sont pas activés sur ce serveur.",
            "en": "Robots are not enabled on this server.",
        },
        "robots.unknown": {"fr": "Robot inconnu « {robot} ».", "en": "Unknown robot « {robot} »."},
        "robots.id_mismatch": {
            "fr": "L'identifiant du robot ne correspond pas à l'adresse.",
            "en": "The robot's id does not match the address.",
        },
        "robots.approval_not_found": {
            "fr": "Cette demande de validation n'existe pas.",
            "en": "This approval request does not exist.",
        },
        "robots.self_approval": {
            "fr": "Vous ne pouvez pas valider votre propre demande.",
            "en": "You cannot approve your own request.",
        },
        "robots.not_an_approver": {
            "fr": "Validation réservée à : {who}.",
            "en": "Approval reserved to: {who}.",
        },
        "robots.changed": {
            "fr": "Le robot a été modifié depuis la demande : refusez-la et faites-la refaire.",
            "en": "The robot was changed since the request: reject it and have it made again.",
        },
        "robots.approval_expired": {
            "fr": "Cette demande a expiré : elle ne peut plus être validée.",
            "en": "This request expired: it can no longer be approved.",
        },
        "robots.already_decided": {
            "fr": "Cette demande a déjà été traitée ({status}).",
            "en": "This request was already handled ({status}).",
        },
        "robots.job_not_found": {"fr": "Cette tâche n'existe pas.", "en": "This job does not exist."},
        "robots.artifact_not_found": {"fr": "Ce fichier n'existe pas.", "en": "This file does not exist."},
        "robots.artifact_expired": {
            "fr": "Ce fichier a été supprimé : la durée de conservation des fichiers des robots est passée.",
            "en": "This file was deleted: the retention period of robot files has passed.",
        },
        "robots.artifact_gone": {"fr": "Ce fichier n'existe plus.", "en": "This file no longer exists."},
        # Conversations, assistants, knowledge (server/conversations, server/assistants, server/knowledge).
        "conversations.feedback_too_early": {
            "fr": "Attendez la fin de la réponse pour donner votre avis.",
            "en": "Wait for the end of the answer to give your feedback.",
        },
        "conversations.query_empty": {
            "fr": "Saisissez au moins un mot à rechercher.",
            "en": "Type at least one word to search for.",
        },
        "assistants.not_editable": {
            "fr": "Cet assistant n'existe pas ou vous ne pouvez pas le modifier.",
            "en": "This assistant does not exist or you may not edit it.",
        },
        "assistants.create_forbidden": {
            "fr": "Votre profil ne permet pas de créer des assistants.",
            "en": "Your profile does not allow creating assistants.",
        },
        "assistants.id_taken": {
            "fr": "L'identifiant « {id} » est déjà pris.",
            "en": "Id « {id} » is already taken.",
        },
        "assistants.id_reserved": {
            "fr": "L'identifiant « {id} » est réservé par la politique des modèles : seul un"
            " administrateur IA peut créer cet assistant.",
            "en": "Id « {id} » is reserved by the model policy: only an AI administrator may create this"
            " assistant.",
        },
        "assistants.id_fixed": {
            "fr": "L'identifiant d'un assistant ne change pas.",
            "en": "An assistant's id does not change.",
        },
        "assistants.builtin": {
            "fr": "Un assistant intégré ne peut pas être supprimé.",
            "en": "A built-in assistant cannot be deleted.",
        },
        "assistants.edit_forbidden": {
            "fr": "Seuls son auteur, les développeurs d'outils et les administrateurs IA modifient"
            " cet assistant.",
            "en": "Only its author, tool developers and AI administrators edit this assistant.",
        },
        "knowledge.collection_not_found": {
            "fr": "Cette base de connaissances n'existe pas.",
            "en": "This knowledge base does not exist.",
        },
        "knowledge.edit_forbidden": {
            "fr": "Vous ne pouvez pas modifier les documents de cet assistant.",
            "en": "You may not change the documents of this assistant.",
        },
        "knowledge.empty_document": {
            "fr": "« {name} » ne contient aucun texte exploitable.",
            "en": "« {name} » contains no usable text.",
        },
        # Audit and administration (server/audit, server/admin).
        "audit.verify_store_forbidden": {
            "fr": "Seul un auditeur peut vérifier l'ensemble du journal.",
            "en": "Only an auditor may verify the whole trail.",
        },
        "audit.unavailable": {
            "fr": "Journal d'audit indisponible : l'accès ne peut pas être tracé, il est refusé ({reason}).",
            "en": "Audit trail unavailable: the access cannot be recorded, it is refused ({reason}).",
        },
        "audit.run_not_found": {
            "fr": "Aucune exécution enregistrée sous cet identifiant.",
            "en": "No run is recorded under this id.",
        },
        "admin.policy_version_not_found": {
            "fr": "La version {number} de la politique n'existe pas.",
            "en": "Version {number} of the policy does not exist.",
        },
        "admin.unknown_models": {
            "fr": "Modèles inconnus du catalogue : {models}.",
            "en": "Models unknown to the catalogue: {models}.",
        },
        "admin.key_name_taken": {
            "fr": "Une clé nommée « {name} » existe déjà.",
            "en": "A key named « {name} » already exists.",
        },
        "admin.service_key_not_found": {
            "fr": "Cette clé de service n'existe pas.",
            "en": "This service key does not exist.",
        },
        # The assistant editor's checks (server/assistants/validation.py).
        "assistants.too_long": {
            "fr": "{field} dépasse {limit} caractères ({length}).",
            "en": "{field} exceeds {limit} characters ({length}).",
        },
        "assistants.field.name": {"fr": "Le nom", "en": "The name"},
        "assistants.field.description": {"fr": "La description", "en": "The description"},
        "assistants.field.instructions": {"fr": "Les instructions", "en": "The instructions"},
        "assistants.field.contact": {"fr": "Le contact", "en": "The contact"},
        "assistants.field.prompt": {"fr": "Une suggestion de question", "en": "A suggested question"},
        "assistants.name_required": {
            "fr": "Le nom de l'assistant est obligatoire.",
            "en": "The assistant's name is required.",
        },
        "assistants.unknown_data_class": {
            "fr": "Classe de données inconnue : « {value} » (public, internal, personal, health).",
            "en": "Unknown data class: « {value} » (public, internal, personal, health).",
        },
        "assistants.too_many_prompts": {
            "fr": "Au plus {limit} suggestions de questions.",
            "en": "At most {limit} suggested questions.",
        },
        "assistants.unknown_role": {
            "fr": "Rôle inconnu dans le public visé : « {role} ».",
            "en": "Unknown role in the audience: « {role} ».",
        },
        "assistants.policy_unavailable": {
            "fr": "La politique d'usage des modèles est indisponible : impossible de vérifier les modèles.",
            "en": "The model usage policy is unavailable: the models cannot be checked.",
        },
        "assistants.unknown_model": {
            "fr": "Le modèle « {model} » n'existe pas au catalogue (ou n'est pas un modèle de conversation).",
            "en": "Model « {model} » is not in the catalogue (or is not a chat model).",
        },
        "assistants.unknown_tool": {
            "fr": "Outil inconnu : « {value} » (connus : {known}).",
            "en": "Unknown tool: « {value} » (known: {known}).",
        },
        "assistants.unknown_workflow": {
            "fr": "Parcours inconnu : « {value} » (connus : {known}).",
            "en": "Unknown workflow: « {value} » (known: {known}).",
        },
        "assistants.invalid_id": {
            "fr": "Identifiant invalide : 2 à 63 caractères, lettres minuscules sans accent, chiffres et"
            " tirets.",
            "en": "Invalid id: 2 to 63 characters, lower-case letters without accents, digits and hyphens.",
        },
        # The assistant editor's choices (server/assistants/service.py; ids from catalog.WORKFLOWS).
        "assistants.data_class.public": {"fr": "Données publiques", "en": "Public data"},
        "assistants.data_class.internal": {"fr": "Données internes", "en": "Internal data"},
        "assistants.data_class.personal": {"fr": "Données personnelles", "en": "Personal data"},
        "assistants.data_class.health": {"fr": "Données de santé", "en": "Health data"},
        "assistants.workflow.meeting_summary": {"fr": "Résumé de réunion", "en": "Meeting summary"},
        "assistants.workflow.document_question": {
            "fr": "Question sur les documents SharePoint",
            "en": "Question about the SharePoint documents",
        },
        "assistants.workflow.tool_agent": {
            "fr": "Agent avec outils (modèle requis)",
            "en": "Agent with tools (model required)",
        },
        "assistants.workflow.knowledge_question": {
            "fr": "Réponse à partir des documents de référence",
            "en": "Answer from the reference documents",
        },
        "assistants.workflow.robot_request": {
            "fr": "Demande de lancement d'un robot (avec validation)",
            "en": "Request to launch a robot (with approval)",
        },
    }
    | POLICY_TEXTS
    | GATEWAY_TEXTS
    | AUDIT_TEXTS
    | AUTOMATIONS_TEXTS
    | BATCHES_TEXTS
    | EDGE_TEXTS
    | GOVERNANCE_TEXTS
    | HEALTH_TEXTS
    | ATTACHMENTS_TEXTS
    | ASSISTANTS_TEXTS
    | ADMIN_TEXTS
    | AUTH_TEXTS
    | INTAKE_TEXTS
    | KNOWLEDGE_TEXTS
    | REGISTRY_TEXTS
    | ROBOTS_TEXTS
    | INPUT_TEXT_ENTRIES,
)
