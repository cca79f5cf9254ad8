"""The automations' refusals in French and English (part of `server.messages.MESSAGES`).

Used by `service.py`, `routes.py`, `cron.py`, `messages.py` and `delivery.py`.
"""

from __future__ import annotations

AUTOMATIONS_TEXTS: dict[str, dict[str, str]] = {
    "automations.disabled": {
        "fr": "Les automatisations ne sont pas activées sur ce serveur.",
        "en": "Automations are not enabled on this server.",
    },
    "automations.notification_too_large": {
        "fr": "Notification trop volumineuse.",
        "en": "Notification too large.",
    },
    "automations.not_a_notification": {
        "fr": "Ce n'est pas une notification de modification Graph.",
        "en": "This is not a Graph change notification.",
    },
    "automations.notifications_rate_limited": {
        "fr": "Trop de notifications de cette adresse : {limit} requêtes par minute au plus. Réessayez"
        " dans une minute.",
        "en": "Too many notifications from this address: at most {limit} requests a minute. Try again"
        " in a minute.",
    },
    "automations.not_found": {
        "fr": "Cette automatisation n'existe pas.",
        "en": "This automation does not exist.",
    },
    "automations.not_an_editor": {
        "fr": "Réservé aux développeurs d'outils et à la coordination IA.",
        "en": "Reserved to tool developers and AI coordination.",
    },
    "automations.owner_unknown": {
        "fr": "« {owner} » ne s'est jamais connecté à Ariane : il ne peut pas être le demandeur.",
        "en": "« {owner} » has never signed in to Ariane: they cannot be the requester.",
    },
    "automations.owner_not_requester": {
        "fr": "{owner} ne peut pas demander ce robot ({requesters}).",
        "en": "{owner} may not request this robot ({requesters}).",
    },
    "automations.robot_not_allowed": {
        "fr": "Un message ou un mail ne lance pas de robot : retirez robot_id.",
        "en": "A message or a mail does not launch a robot: remove robot_id.",
    },
    "automations.robot_missing": {
        "fr": "Indiquez le robot à lancer (robot_id).",
        "en": "Name the robot to launch (robot_id).",
    },
    "automations.robot_not_found": {"fr": "Robot inconnu « {robot} ».", "en": "Unknown robot « {robot} »."},
    "automations.model_not_applicable": {
        "fr": "Un modèle lit le message ou interprète le rapport d'un robot : un message ou un mail "
        "d'automatisation n'en demande pas.",
        "en": "A model reads the message or interprets a robot's report: an automation's message or mail"
        " needs none.",
    },
    "automations.model_unavailable": {
        "fr": "Aucune clé de passerelle n'est configurée pour les automatisations "
        "(ARIANE_AUTOMATIONS__MODEL_KEY) : laissez le modèle vide (les règles lisent le message, "
        "le rapport garde son propre classement).",
        "en": "No gateway key is configured for the automations (ARIANE_AUTOMATIONS__MODEL_KEY): leave the"
        " model empty (the rules read the message, the report keeps its own classification).",
    },
    "automations.gateway_unavailable": {
        "fr": "La passerelle des modèles ne répond pas : {reason}.",
        "en": "The model gateway does not answer: {reason}.",
    },
    "automations.model_not_allowed": {
        "fr": "Modèle « {model} » non autorisé aux automatisations ; autorisés : {allowed}.",
        "en": "Model « {model} » is not allowed for automations; allowed: {allowed}.",
    },
    "automations.none": {"fr": "aucun", "en": "none"},
    "automations.message_missing": {
        "fr": "Un message ou un mail a un texte (message) : {fields} y sont remplacés à chaque"
        " déclenchement.",
        "en": "A message or a mail has a text (message): {fields} are replaced in it at each firing.",
    },
    "automations.inputs_not_allowed": {
        "fr": "Seul un robot a des entrées (inputs).",
        "en": "Only a robot has inputs (inputs).",
    },
    "automations.recipients_missing": {
        "fr": "Un mail a au moins un destinataire (notify).",
        "en": "A mail has at least one recipient (notify).",
    },
    "automations.mailbox_missing": {
        "fr": "Un déclencheur sur messagerie indique la boîte surveillée (mailbox).",
        "en": "A mail trigger names the mailbox watched (mailbox).",
    },
    "automations.filter_missing": {
        "fr": "Un déclencheur sur messagerie a un filtre (expéditeur, objet ou corps).",
        "en": "A mail trigger has a filter (sender, subject or body).",
    },
    "automations.message_not_allowed": {
        "fr": "Un robot n'envoie pas de texte : retirez message.",
        "en": "A robot sends no text: remove message.",
    },
    "automations.unknown_inputs": {
        "fr": "Entrées inconnues du robot : {inputs}.",
        "en": "Inputs unknown to the robot: {inputs}.",
    },
    "automations.invalid_address": {
        "fr": "Adresse à prévenir invalide : « {address} ».",
        "en": "Invalid address to notify: « {address} ».",
    },
    "automations.cron_missing": {
        "fr": "Une planification a une expression cron (ex. « 0 7 * * * »).",
        "en": "A schedule has a cron expression (e.g. « 0 7 * * * »).",
    },
    "automations.invalid_inputs": {"fr": "Entrées invalides : {errors}", "en": "Invalid inputs: {errors}"},
    "automations.recipients_need_approval": {
        "fr": "Les destinataires d'un mail ont été validés avec lui : créez une autre automatisation "
        "pour les changer.",
        "en": "A mail's recipients were approved with it: create another automation to change them.",
    },
    "automations.self_approval": {
        "fr": "Vous ne pouvez pas valider votre propre automatisation.",
        "en": "You cannot approve your own automation.",
    },
    "automations.not_an_approver": {
        "fr": "Validation réservée à : {who}.",
        "en": "Approval reserved to: {who}.",
    },
    "automations.already_status": {
        "fr": "Cette automatisation est déjà « {status} ».",
        "en": "This automation is already « {status} ».",
    },
    "automations.pause_forbidden": {
        "fr": "Vous ne pouvez pas suspendre cette automatisation.",
        "en": "You may not pause this automation.",
    },
    "automations.cannot_pause": {
        "fr": "Cette automatisation est « {status} » : impossible de la suspendre.",
        "en": "This automation is « {status} »: it cannot be paused.",
    },
    "automations.cannot_resume": {
        "fr": "Cette automatisation est « {status} » : impossible de la reprendre.",
        "en": "This automation is « {status} »: it cannot be resumed.",
    },
    "automations.run_forbidden": {
        "fr": "Vous ne pouvez pas lancer cette automatisation.",
        "en": "You may not launch this automation.",
    },
    "automations.not_a_schedule": {
        "fr": "Un déclencheur sur messagerie se lance à l'arrivée d'un message.",
        "en": "A mail trigger runs when a message arrives.",
    },
    "automations.not_active": {
        "fr": "Cette automatisation est « {status} » : elle ne peut pas être lancée.",
        "en": "This automation is « {status} »: it cannot be launched.",
    },
    # The message template (messages.py, through server/batches/template.py).
    "automations.what.message": {"fr": "Le message", "en": "The message"},
    # Cron expressions (cron.py).
    "automations.cron_fields": {
        "fr": "Une expression cron a cinq champs : minute heure jour mois jour-de-semaine.",
        "en": "A cron expression has five fields: minute hour day month day-of-week.",
    },
    "automations.cron_invalid": {
        "fr": "Champ {field} invalide : « {text} ».",
        "en": "Invalid field {field}: « {text} ».",
    },
    "automations.cron_out_of_bounds": {
        "fr": "Champ {field} hors limites ({low}-{high}) : « {text} ».",
        "en": "Field {field} out of bounds ({low}-{high}): « {text} ».",
    },
    "automations.cron_field.minute": {"fr": "minute", "en": "minute"},
    "automations.cron_field.hour": {"fr": "heure", "en": "hour"},
    "automations.cron_field.day": {"fr": "jour du mois", "en": "day of the month"},
    "automations.cron_field.month": {"fr": "mois", "en": "month"},
    "automations.cron_field.weekday": {"fr": "jour de la semaine", "en": "day of the week"},
    # Replay of an automation's message (delivery.py).
    "automations.exact_replay_only": {
        "fr": "Ce message d'automatisation n'interroge aucun modèle : seul le rejeu exact s'applique.",
        "en": "This automation message asks no model: only the exact replay applies.",
    },
    "automations.start_not_found": {
        "fr": "L'enregistrement du début de cette exécution est introuvable.",
        "en": "The record of this run's start cannot be found.",
    },
    "automations.not_captured": {
        "fr": "Rejeu impossible : le contenu de cette exécution n'a pas été capturé.",
        "en": "Replay impossible: the content of this run was not captured.",
    },
    # A firing's detail, stored by id and shown in the reader's language (runner.py); French in mails.
    "automations.firing.slot_skipped": {
        "fr": "Créneau du {slot} manqué pendant un arrêt : ignoré (pas de rattrapage).",
        "en": "Slot of {slot} missed during a downtime: skipped (no catch-up).",
    },
    "automations.firing.slot_caught_up": {
        "fr": "Rattrapage du créneau du {slot}, manqué pendant un arrêt (exécuté une fois).",
        "en": "Catch-up of the slot of {slot}, missed during a downtime (run once).",
    },
    "automations.firing.run_now": {"fr": "Lancée à la demande.", "en": "Run on demand."},
    "automations.firing.robot_started": {"fr": "Robot lancé.", "en": "Robot launched."},
    "automations.firing.awaiting_approval": {
        "fr": "En attente de validation.",
        "en": "Awaiting approval.",
    },
    "automations.firing.nothing_sent": {
        "fr": "Rien n'est envoyé : l'automatisation n'est plus active.",
        "en": "Nothing is sent: the automation is no longer active.",
    },
    "automations.firing.mail_sent": {"fr": "Mail envoyé à {to}.", "en": "Mail sent to {to}."},
    "automations.firing.posted": {
        "fr": "Message publié dans la conversation « {title} ».",
        "en": "Message posted in the conversation « {title} ».",
    },
    "automations.firing.refused": {
        "fr": "Rien n'est lancé : {problems}",
        "en": "Nothing is launched: {problems}",
    },
    "automations.firing.owner_may_not": {
        "fr": "{owner} ne peut plus demander ce robot.",
        "en": "{owner} may no longer request this robot.",
    },
    "automations.firing.not_active": {
        "fr": "L'automatisation n'est plus active.",
        "en": "The automation is no longer active.",
    },
    "automations.firing.rejected": {
        "fr": "Demande refusée ou expirée : le robot n'a pas été lancé.",
        "en": "Request refused or expired: the robot was not launched.",
    },
    "automations.firing.succeeded": {
        "fr": "Le robot a terminé avec succès.",
        "en": "The robot finished successfully.",
    },
    "automations.firing.failed": {"fr": "Le robot a échoué : {error}", "en": "The robot failed: {error}"},
    # The reason recorded on a schedule's launch approval (stored in French, recognised when read).
    "automations.schedule_approved": {
        "fr": "Automatisation « {name} » validée (planification).",
        "en": "Automation « {name} » approved (schedule).",
    },
}
