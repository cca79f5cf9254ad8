"""The server's fixed texts in French and English, by id (`tools.i18n`).

French is what staff read by default; English when their client asks for it (`Accept-Language`).
`tests/test_messages.py` checks that every id has both and that they fill in the same names.
"""

from __future__ import annotations

from tools.i18n import Catalogue

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
        # The policy editor's validation (server/gateway/policy.py, policy_issues.py).
        "policy.at_line_path": {
            "fr": "Ligne {line}, {path} : {message}",
            "en": "Line {line}, {path}: {message}",
        },
        "policy.at_line": {"fr": "Ligne {line} : {message}", "en": "Line {line}: {message}"},
        "policy.at_path": {"fr": "{path} : {message}", "en": "{path}: {message}"},
        "policy.health_needs_hds": {
            "fr": "le modèle « {model} » reçoit des données de santé : il doit être chez un hébergeur"
            " certifié HDS ou sur les serveurs de l'établissement",
            "en": "model « {model} » receives health data: it must run at"
            " a certified HDS host or on premises",
        },
        "policy.unknown_provider": {
            "fr": "le modèle « {model} » désigne un fournisseur « {provider} » qui n'est pas déclaré",
            "en": "model « {model} » names a provider « {provider} » that is not declared",
        },
        "policy.unknown_fallback": {
            "fr": "le modèle de repli « {name} » (de « {model} ») n'existe pas dans le catalogue",
            "en": "fallback model « {name} » (of « {model} ») is not in the catalogue",
        },
        "policy.unknown_model": {
            "fr": "la règle « {rule} » cite le modèle « {name} », qui n'existe pas dans le catalogue"
            " (utilisez les identifiants du catalogue)",
            "en": "rule « {rule} » names model « {name} », which is not in the catalogue (use catalogue ids)",
        },
        "policy.rule_twice": {
            "fr": "la règle « {rule} » est déclarée deux fois",
            "en": "rule « {rule} » is declared twice",
        },
        "policy.temperature_order": {
            "fr": "temperature_min est supérieure à temperature_max",
            "en": "temperature_min is above temperature_max",
        },
        "policy.name_clash": {
            "fr": "le nom « {name} » est déjà pris par plusieurs modèles ({models})",
            "en": "name « {name} » is used by several models ({models})",
        },
        "policy.not_mapping": {
            "fr": "le document doit être un dictionnaire YAML (des lignes « clé : valeur »)",
            "en": "the document must be a YAML mapping (« key: value » lines)",
        },
        "policy.missing": {"fr": "champ obligatoire manquant", "en": "required field missing"},
        "policy.extra_forbidden": {
            "fr": "champ « {field} » inconnu : il n'est pas prévu à cet endroit",
            "en": "unknown field « {field} »: it is not expected here",
        },
        "policy.string_type": {"fr": "un texte est attendu", "en": "a text is expected"},
        "policy.int_type": {"fr": "un nombre entier est attendu", "en": "a whole number is expected"},
        "policy.float_type": {"fr": "un nombre est attendu", "en": "a number is expected"},
        "policy.bool_type": {"fr": "true ou false est attendu", "en": "true or false is expected"},
        "policy.enum": {
            "fr": "valeur « {value} » non reconnue : valeurs possibles {expected}",
            "en": "value « {value} » not recognised: possible values {expected}",
        },
        "policy.list_type": {"fr": "une liste est attendue", "en": "a list is expected"},
        "policy.dict_type": {
            "fr": "un dictionnaire (des lignes « clé : valeur ») est attendu",
            "en": "a mapping (« key: value » lines) is expected",
        },
        "policy.greater_than": {"fr": "la valeur doit dépasser {gt}", "en": "the value must be above {gt}"},
        "policy.greater_than_equal": {
            "fr": "la valeur doit être au moins {ge}",
            "en": "the value must be at least {ge}",
        },
        "policy.less_than": {
            "fr": "la valeur doit être inférieure à {lt}",
            "en": "the value must be below {lt}",
        },
        "policy.less_than_equal": {
            "fr": "la valeur doit être au plus {le}",
            "en": "the value must be at most {le}",
        },
        "policy.too_short": {
            "fr": "au moins {min_length} élément(s) attendu(s)",
            "en": "at least {min_length} item(s) expected",
        },
        "policy.too_long": {
            "fr": "au plus {max_length} élément(s) permis",
            "en": "at most {max_length} item(s) allowed",
        },
        "policy.string_too_short": {
            "fr": "au moins {min_length} caractère(s) attendu(s)",
            "en": "at least {min_length} character(s) expected",
        },
        "policy.string_too_long": {
            "fr": "au plus {max_length} caractères permis",
            "en": "at most {max_length} characters allowed",
        },
        "policy.pattern": {
            "fr": "nom « {value} » invalide : minuscules, chiffres et . _ : / @ - seulement",
            "en": "invalid name « {value} »: lower-case letters, digits and . _ : / @ - only",
        },
        "policy.invalid": {"fr": "valeur invalide ({reason})", "en": "invalid value ({reason})"},
        "policy.yaml.colon_expected": {
            "fr": "YAML illisible : « : » attendu après la clé",
            "en": "unreadable YAML: « : » expected after the key",
        },
        "policy.yaml.colon_unexpected": {
            "fr": "YAML illisible : « : » inattendu ici (indentation ou guillemets manquants ?)",
            "en": "unreadable YAML: « : » not expected here (indentation or missing quotes?)",
        },
        "policy.yaml.tab": {
            "fr": "YAML illisible : tabulation interdite, indentez avec des espaces",
            "en": "unreadable YAML: tabs are not allowed, indent with spaces",
        },
        "policy.yaml.bad_character": {
            "fr": "YAML illisible : caractère inattendu",
            "en": "unreadable YAML: unexpected character",
        },
        "policy.yaml.indentation": {
            "fr": "YAML illisible : indentation incohérente",
            "en": "unreadable YAML: inconsistent indentation",
        },
        "policy.yaml.unclosed_list": {
            "fr": "YAML illisible : liste non fermée (« , » ou « ] » attendu)",
            "en": "unreadable YAML: list not closed (« , » or « ] » expected)",
        },
        "policy.yaml.unclosed_mapping": {
            "fr": "YAML illisible : dictionnaire non fermé (« , » ou « }} » attendu)",
            "en": "unreadable YAML: mapping not closed (« , » or « }} » expected)",
        },
        "policy.yaml.unclosed_quote": {
            "fr": "YAML illisible : le document se termine trop tôt (guillemet non fermé ?)",
            "en": "unreadable YAML: the document ends too early (unclosed quote?)",
        },
        "policy.yaml.other": {
            "fr": "YAML illisible (analyseur : {problem})",
            "en": "unreadable YAML (parser: {problem})",
        },
        "policy.invalid_saved": {
            "fr": "La politique proposée est invalide : rien n'a été enregistré.",
            "en": "The proposed policy is invalid: nothing was saved.",
        },
    }
)
