"""The robot definition changes' texts in French and English (part of `server.messages.MESSAGES`).

Used by `definitions.py`; the approvals' and jobs' texts are in `server/messages.py`. The reasons a
definition is refused come from `tools.robots.catalogue` and stay French.
"""

from __future__ import annotations

ROBOTS_TEXTS: dict[str, dict[str, str]] = {
    "robots.definition_refused": {
        "fr": "Définition refusée : {reasons}.",
        "en": "Definition refused: {reasons}.",
    },
    "robots.change_self_approval": {
        "fr": "Vous avez proposé ce changement : d'autres doivent l'approuver.",
        "en": "You proposed this change: others must approve it.",
    },
    "robots.change_second_approver": {
        "fr": "Vous avez déjà approuvé ce changement : une autre personne doit le faire.",
        "en": "You already approved this change: another person must do it.",
    },
    "robots.change_closed": {
        "fr": "Ce changement est clos ({status}).",
        "en": "This change is closed ({status}).",
    },
    "robots.change_reserved": {
        "fr": "Approbation réservée à un responsable du service « {owner} » (ou à la direction) et au RSSI,"
        " chacun pour sa part restante.",
        "en": "Approval reserved to a manager of service « {owner} » (or the management) and to the CISO,"
        " each for their remaining part.",
    },
    "robots.change_just_closed": {
        "fr": "Ce changement vient d'être clos ou approuvé pour cette part.",
        "en": "This change was just closed or approved for this part.",
    },
    "robots.change_reject_forbidden": {
        "fr": "Seuls les approbateurs de ce changement peuvent le refuser.",
        "en": "Only the approvers of this change may reject it.",
    },
    "robots.change_not_found": {
        "fr": "Ce changement de robot n'existe pas.",
        "en": "This robot change does not exist.",
    },
    # What a job says of itself, stored by id and shown in the reader's language (job_texts.py).
    "robots.job.approved": {"fr": "Validé, en attente du robot.", "en": "Approved, waiting for the robot."},
    "robots.job.scheduled": {
        "fr": "Planifié, en attente du robot.",
        "en": "Scheduled, waiting for the robot.",
    },
    "robots.job.started": {"fr": "Robot démarré.", "en": "Robot started."},
    "robots.job.finished": {"fr": "Terminé.", "en": "Finished."},
    "robots.job.failed": {"fr": "Échec.", "en": "Failed."},
    "robots.job.inputs_changed": {
        "fr": "Entrées modifiées depuis la validation.",
        "en": "Inputs changed since the approval.",
    },
    "robots.job.not_started": {
        "fr": "Le robot n'a pas pu démarrer : {error}.",
        "en": "The robot could not start: {error}.",
    },
    "robots.job.interrupted": {
        "fr": "Le serveur a redémarré pendant l'exécution : la tâche n'est pas relancée,"
        " vérifiez son journal.",
        "en": "The server restarted during the run: the job is not run again, check its log.",
    },
}
