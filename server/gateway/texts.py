"""The gateway's `/v1` refusals and errors in French and English (part of `server.messages.MESSAGES`).

Rendered in the language of the `/v1` request (`Accept-Language`, French by default) by `errors.py`;
the envelope's `type` and `code` never change with it. Used by `errors.py`, `schemas.py`,
`service.py`, `decision.py`, `assistants.py`, `shaping.py`, `quotas.py`, `idempotency.py`,
`policy_store.py`, `providers.py`, and for the labels `policy.py` and `classification.py` put in them.
"""

from __future__ import annotations

GATEWAY_TEXTS: dict[str, dict[str, str]] = {
    # Envelopes of every /v1 error (errors.py).
    "gateway.invalid_request": {"fr": "Requête invalide ({fields}).", "en": "Invalid request ({fields})."},
    "gateway.not_found_path": {
        "fr": "Cette adresse n'existe pas dans l'API /v1.",
        "en": "This address does not exist in the /v1 API.",
    },
    "gateway.internal": {
        "fr": "Erreur interne de la passerelle : l'incident est enregistré.",
        "en": "Internal error of the gateway: the incident is recorded.",
    },
    # The request's body and declarations (schemas.py, service.py).
    "gateway.not_json": {
        "fr": "Le corps de la requête n'est pas du JSON valide.",
        "en": "The request's body is not valid JSON.",
    },
    "gateway.not_object": {
        "fr": "Le corps de la requête doit être un objet JSON.",
        "en": "The request's body must be a JSON object.",
    },
    "gateway.invalid_parameter": {
        "fr": "Paramètre invalide : {param} ({reason}).",
        "en": "Invalid parameter: {param} ({reason}).",
    },
    "gateway.unknown_data_class": {
        "fr": "Classe de données inconnue : « {declared} » (public, internal, personal, health).",
        "en": "Unknown data class: « {declared} » (public, internal, personal, health).",
    },
    "gateway.embedding_input": {
        "fr": "`input` doit être un texte ou une liste non vide de textes.",
        "en": "`input` must be a text or a non-empty list of texts.",
    },
    "gateway.dimensions": {
        "fr": "Ce modèle produit des vecteurs de {dimensions} dimensions.",
        "en": "This model produces vectors of {dimensions} dimensions.",
    },
    "gateway.local_embeddings_not_loaded": {
        "fr": "Le modèle d'embeddings local n'est pas chargé.",
        "en": "The local embedding model is not loaded.",
    },
    "gateway.local_embeddings_unavailable": {
        "fr": "Le modèle d'embeddings local est indisponible : {reason}.",
        "en": "The local embedding model is unavailable: {reason}.",
    },
    # Who calls (service.py).
    "gateway.auth_required": {
        "fr": "Authentification requise : présentez un jeton d'accès ou une clé de service "
        "(en-tête Authorization: Bearer).",
        "en": "Authentication required: present an access token or a service key "
        "(header Authorization: Bearer).",
    },
    "gateway.unknown_key": {
        "fr": "Clé de service inconnue ou révoquée.",
        "en": "Unknown or revoked service key.",
    },
    # The policy's decision (decision.py, assistants.py).
    "gateway.unknown_model": {
        "fr": "Le modèle « {model} » n'existe pas dans le catalogue d'Ariane.",
        "en": "Model « {model} » does not exist in Ariane's catalogue.",
    },
    "gateway.not_a_chat_model": {
        "fr": "« {model} » n'est pas un modèle de conversation.",
        "en": "« {model} » is not a chat model.",
    },
    "gateway.not_an_embedding_model": {
        "fr": "« {model} » n'est pas un modèle d'embeddings.",
        "en": "« {model} » is not an embedding model.",
    },
    "gateway.model_not_configured": {
        "fr": "Le modèle « {model} » est déclaré au catalogue mais son fournisseur « {provider} » "
        "n'est pas configuré (réglage {setting}).",
        "en": "Model « {model} » is declared in the catalogue but its provider « {provider} » is not"
        " configured (setting {setting}).",
    },
    "gateway.key_not_for_assistant": {
        "fr": "La clé de service « {service_key} » n'est pas autorisée pour l'assistant « {assistant} ».",
        "en": "Service key « {service_key} » is not allowed for assistant « {assistant} ».",
    },
    "gateway.none": {"fr": "aucun", "en": "none"},
    "gateway.key_model_not_allowed": {
        "fr": "Cette clé de service n'autorise pas l'usage du modèle « {model} ». Modèles autorisés :"
        " {allowed}.",
        "en": "This service key does not allow the use of model « {model} ». Allowed models: {allowed}.",
    },
    "gateway.profile_model_not_allowed": {
        "fr": "Votre profil n'autorise pas l'usage du modèle « {model} ». Modèles autorisés : {allowed}.",
        "en": "Your profile does not allow the use of model « {model} ». Allowed models: {allowed}.",
    },
    "gateway.assistant_not_open": {
        "fr": "L'assistant « {assistant} » n'existe pas ou ne vous est pas ouvert.",
        "en": "Assistant « {assistant} » does not exist or is not open to you.",
    },
    "gateway.assistant_model": {
        "fr": "L'assistant « {assistant} » n'est pas configuré pour le modèle « {model} » "
        "(modèles de l'assistant : {models}).",
        "en": "Assistant « {assistant} » is not configured for model « {model} » (the assistant's models:"
        " {models}).",
    },
    # Refusals by data class (decision.py): `data` is a `gateway.data_class.*` label, `seen` empty or
    # `gateway.seen`, `why` one of the two reasons below.
    "gateway.data_class_not_hosted": {
        "fr": "Cette requête contient des {data}{seen} : {why}. Le modèle « {model} » est hébergé sur :"
        " {where}.",
        "en": "This request contains {data}{seen}: {why}. Model « {model} » is hosted on: {where}.",
    },
    "gateway.health_hosting_only": {
        "fr": "elles ne peuvent être envoyées qu'à un hébergeur certifié HDS ou aux serveurs de"
        " l'établissement",
        "en": "it may only be sent to a certified HDS host or to the hospital's servers",
    },
    "gateway.model_accepts_only": {
        "fr": "le modèle n'accepte que : {classes}",
        "en": "the model only accepts: {classes}",
    },
    "gateway.data_class_not_cleared": {
        "fr": "Votre profil n'est pas habilité à envoyer des {data}{seen} au modèle « {model} ».",
        "en": "Your profile is not cleared to send {data}{seen} to model « {model} ».",
    },
    "gateway.seen": {"fr": " (détecté : {findings})", "en": " (detected: {findings})"},
    "gateway.models_for_data": {
        "fr": "{refusal} Modèles autorisés pour ces données : {models}.",
        "en": "{refusal} Models allowed for this data: {models}.",
    },
    "gateway.no_model_for_data": {
        "fr": "{refusal} Aucun modèle autorisé pour vous ne peut recevoir ces données.",
        "en": "{refusal} No model allowed for you may receive this data.",
    },
    # Labels put in the refusals (policy.py, classification.py); ids by enum value.
    "gateway.data_class.public": {"fr": "données publiques", "en": "public data"},
    "gateway.data_class.internal": {"fr": "données internes", "en": "internal data"},
    "gateway.data_class.personal": {"fr": "données personnelles", "en": "personal data"},
    "gateway.data_class.health": {"fr": "données de santé", "en": "health data"},
    "gateway.hosting.hds": {"fr": "hébergeur certifié HDS", "en": "certified HDS host"},
    "gateway.hosting.on_prem": {"fr": "serveurs de l'établissement", "en": "the hospital's servers"},
    "gateway.hosting.eu_cloud": {"fr": "cloud européen", "en": "European cloud"},
    "gateway.hosting.non_eu": {"fr": "cloud hors Union européenne", "en": "cloud outside the European Union"},
    "gateway.finding.nir": {"fr": "numéro de sécurité sociale", "en": "social security number"},
    "gateway.finding.patient_id": {"fr": "identifiant de patient", "en": "patient identifier"},
    "gateway.finding.birth_date_with_name": {
        "fr": "date de naissance associée à un nom",
        "en": "date of birth next to a name",
    },
    "gateway.finding.person": {"fr": "personne nommée", "en": "named person"},
    "gateway.finding.health_terms": {"fr": "vocabulaire médical", "en": "medical vocabulary"},
    "gateway.finding.health_about_person": {
        "fr": "état de santé d'une personne",
        "en": "a person's state of health",
    },
    "gateway.finding.unreadable_content": {
        "fr": "contenu non analysable (image, son, fichier)",
        "en": "content that cannot be analysed (image, sound, file)",
    },
    # What the model cannot do (shaping.py).
    "gateway.tools_not_supported": {
        "fr": "Le modèle « {model} » ne sait pas appeler d'outils.",
        "en": "Model « {model} » cannot call tools.",
    },
    "gateway.stream_not_supported": {
        "fr": "Le modèle « {model} » ne diffuse pas sa réponse en continu.",
        "en": "Model « {model} » does not stream its answer.",
    },
    # Daily quotas (quotas.py): `quota` is one of the three below.
    "gateway.quota_exceeded": {
        "fr": "Le {quota} est atteint pour cette demande. Il sera renouvelé à minuit (heure de Paris) ;"
        " réduisez `max_tokens` ou la taille du message, ou adressez-vous au coordinateur IA.",
        "en": "The {quota} is used up for this request. It renews at midnight (Paris time); reduce"
        " `max_tokens` or the size of the message, or ask the AI coordinator.",
    },
    "gateway.quota.user": {"fr": "quota quotidien de jetons personnel", "en": "personal daily token quota"},
    "gateway.quota.service": {
        "fr": "quota quotidien de jetons du service",
        "en": "service's daily token quota",
    },
    "gateway.quota.key": {
        "fr": "quota quotidien de jetons de la clé de service",
        "en": "service key's daily token quota",
    },
    # Idempotency-Key (idempotency.py).
    "gateway.idempotency_key_invalid": {
        "fr": "La clé d'idempotence doit compter de 1 à {limit} caractères imprimables.",
        "en": "The idempotency key must hold 1 to {limit} printable characters.",
    },
    "gateway.idempotency_key_reused": {
        "fr": "Cette clé d'idempotence a déjà servi pour une autre requête.",
        "en": "This idempotency key already served another request.",
    },
    "gateway.request_in_progress": {
        "fr": "La même requête est déjà en cours : réessayez dans un instant.",
        "en": "The same request is already under way: try again in a moment.",
    },
    # No policy in force (policy_store.py): `reason` is one of the four below.
    "gateway.policy_unavailable": {
        "fr": "La passerelle refuse toutes les requêtes : aucune politique d'usage valide n'a pu être "
        "chargée ({reason}). Prévenez le coordinateur IA.",
        "en": "The gateway refuses every request: no valid usage policy could be loaded ({reason})."
        " Tell the AI coordinator.",
    },
    "gateway.policy.not_loaded": {
        "fr": "la politique n'a pas encore été chargée",
        "en": "the policy has not been loaded yet",
    },
    "gateway.policy.database_unreachable": {
        "fr": "base de données injoignable : {error}",
        "en": "database unreachable: {error}",
    },
    "gateway.policy.file_unreadable": {
        "fr": "fichier {file} illisible : {error}",
        "en": "file {file} unreadable: {error}",
    },
    "gateway.policy.file_invalid": {
        "fr": "fichier {file} invalide : {problem}",
        "en": "file {file} invalid: {problem}",
    },
    "gateway.policy.version_invalid": {
        "fr": "version enregistrée {version} invalide : {problem}",
        "en": "saved version {version} invalid: {problem}",
    },
    # The provider failed (providers.py); its own answers are passed on as they are.
    "gateway.upstream_credentials": {
        "fr": "Le fournisseur du modèle « {model} » a refusé les identifiants de la passerelle.",
        "en": "The provider of model « {model} » refused the gateway's credentials.",
    },
    "gateway.upstream_timeout": {
        "fr": "Le fournisseur du modèle « {model} » n'a pas répondu à temps. Réessayez dans un instant.",
        "en": "The provider of model « {model} » did not answer in time. Try again in a moment.",
    },
    "gateway.upstream_unreachable": {
        "fr": "Le fournisseur du modèle « {model} » est injoignable. Réessayez dans un instant.",
        "en": "The provider of model « {model} » cannot be reached. Try again in a moment.",
    },
    "gateway.upstream_failed": {
        "fr": "Le fournisseur du modèle « {model} » a échoué (HTTP {status}). Réessayez dans un instant.",
        "en": "The provider of model « {model} » failed (HTTP {status}). Try again in a moment.",
    },
}
