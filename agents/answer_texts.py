"""The fixed texts around what an answer quotes, in French and English (merged into `agents/messages.py`).

What sources wrote (quotes, titles, subjects, a contact's name) is filled in as they wrote it; only the
words around it follow the run's language.
"""

from __future__ import annotations

ANSWER_TEXTS: dict[str, dict[str, str]] = {
    # Meeting summaries (agents/meetings/answer.py, detail.py).
    "meeting.default_subject": {"fr": "la réunion", "en": "the meeting"},
    "meeting.lead_summary": {
        "fr": "Voici la synthèse de « {subject} »",
        "en": "Here is the summary of « {subject} »",
    },
    "meeting.lead_speaker": {
        "fr": "Voici l'intervention {of_speaker} lors de « {subject} »",
        "en": "Here is the contribution {of_speaker} to « {subject} »",
    },
    "meeting.lead_point": {
        "fr": ", en {count} point, chacun cité depuis la transcription :",
        "en": ", in {count} point, quoted from the transcript:",
    },
    "meeting.lead_points": {
        "fr": ", en {count} points, chacun cité depuis la transcription :",
        "en": ", in {count} points, each quoted from the transcript:",
    },
    "meeting.fewer_passages": {
        "fr": "La transcription ne contient que {count} passage(s) exploitable(s) sur les {asked} demandés.",
        "en": "The transcript holds only {count} usable passage(s) of the {asked} asked for.",
    },
    "meeting.none_on": {
        "fr": "Je ne trouve aucune réunion Teams dans votre agenda pour « {when} ».",
        "en": "I find no Teams meeting in your calendar for « {when} ».",
    },
    "meeting.which": {
        "fr": "Vous aviez plusieurs réunions « {when} » ; laquelle dois-je résumer ?\n\n{options}",
        "en": "You had several meetings « {when} »; which one should I summarise?\n\n{options}",
    },
    "meeting.not_found": {
        "fr": "Je ne trouve pas de réunion correspondant à « {subject} » parmi celles auxquelles vous avez"
        " accès. Si vous y étiez invité, vérifiez l'intitulé ou la date ; sinon, demandez le compte rendu à"
        " son organisateur.",
        "en": "I find no meeting matching « {subject} » among those you have access to. If you were invited,"
        " check its title or date; otherwise, ask its organiser for the minutes.",
    },
    "meeting.closest": {
        "fr": "Réunions les plus proches que vous pouvez consulter :\n{options}",
        "en": "Closest meetings you can read:\n{options}",
    },
    "meeting.silent_speaker": {
        "fr": "{name} n'a pas pris la parole lors de « {subject} » ({when}) : la transcription ne contient"
        " aucune intervention de sa part. Intervenants : {speakers}.",
        "en": "{name} did not speak during « {subject} » ({when}): the transcript holds no contribution"
        " of theirs. Speakers: {speakers}.",
    },
    "meeting.no_such_point": {
        "fr": "La synthèse précédente ne compte que {count} point(s).",
        "en": "The previous summary has only {count} point(s).",
    },
    "meeting.point_gone": {
        "fr": "Je ne retrouve plus ce passage dans la transcription.",
        "en": "I can no longer find this passage in the transcript.",
    },
    "meeting.point_detail": {
        "fr": "Le {ordinal} point de la synthèse de « {subject} », plus en détail — **{speaker}** :"
        "\n\n{text} [1]",
        "en": "The {ordinal} point of the summary of « {subject} », in more detail — **{speaker}**:"
        "\n\n{text} [1]",
    },
    "meeting.ordinal_1": {"fr": "premier", "en": "first"},
    "meeting.ordinal_2": {"fr": "deuxième", "en": "second"},
    "meeting.ordinal_3": {"fr": "troisième", "en": "third"},
    "meeting.ordinal_4": {"fr": "quatrième", "en": "fourth"},
    "meeting.ordinal_5": {"fr": "cinquième", "en": "fifth"},
    "meeting.ordinal_6": {"fr": "sixième", "en": "sixth"},
    "meeting.ordinal_last": {"fr": "dernier", "en": "last"},
    "meeting.ordinal_n": {"fr": "{number}e", "en": "{number}th"},
    # Answers from documents (agents/grounded.py, knowledge/, documents/, attachments/).
    "documents.not_covered": {
        "fr": "Les documents de référence ne couvrent pas cette question.",
        "en": "The reference documents do not cover this question.",
    },
    "documents.lead": {
        "fr": "D'après les documents de référence :",
        "en": "According to the reference documents:",
    },
    "documents.not_found": {
        "fr": "Je ne trouve pas de document correspondant à « {subject} » parmi ceux que vous pouvez lire."
        " Vérifiez son titre, ou demandez l'accès à son auteur.",
        "en": "I find no document matching « {subject} » among those you may read. Check its title, or ask"
        " its author for access.",
    },
    "documents.synthesis_lead": {
        "fr": "Synthèse de « {title} », partie par partie :",
        "en": "Summary of « {title} », part by part:",
    },
    "documents.synthesis_part": {"fr": "- **{part}** : {quoted}", "en": "- **{part}**: {quoted}"},
    "documents.nothing_to_summarise": {
        "fr": "Le document « {title} » ne contient pas de texte à synthétiser.",
        "en": "Document « {title} » holds no text to summarise.",
    },
    "knowledge.none": {
        "fr": "L'assistant « {name} » n'a pas de documents de référence.",
        "en": "Assistant « {name} » has no reference documents.",
    },
    "knowledge.ask_contact": {
        "fr": "Pour cette question, adressez-vous {to_contact}.",
        "en": "For this question, turn {to_contact}.",
    },
    "knowledge.confirm_contact": {
        "fr": "Pour confirmer votre situation, adressez-vous {to_contact}.",
        "en": "To confirm your situation, turn {to_contact}.",
    },
    "attachments.not_covered": {
        "fr": "Les fichiers joints à cette conversation ne couvrent pas cette question.",
        "en": "The files attached to this conversation do not cover this question.",
    },
    "attachments.lead": {"fr": "D'après les fichiers joints :", "en": "According to the attached files:"},
    "fallback.no_verified_citation_files": {
        "fr": "aucune citation du modèle n'a pu être vérifiée dans les fichiers",
        "en": "no citation of the model could be verified in the files",
    },
    # The calendar read without a model (agents/open_requests.py).
    "calendar.next_seven_days": {"fr": "ces sept prochains jours", "en": "over the next seven days"},
    # The period as the user named it (French words): part of a French sentence, quoted in an English one.
    "calendar.said": {"fr": "{phrase}", "en": "« {phrase} »"},
    "calendar.span": {"fr": "du {first} au {last}", "en": "from {first} to {last}"},
    "calendar.none": {
        "fr": "Vous n'avez aucune réunion ni rendez-vous {said} ({span}).",
        "en": "You have no meeting or appointment {said} ({span}).",
    },
    "calendar.event": {
        "fr": "Vous avez {count} événement {said} ({span}) :",
        "en": "You have {count} event {said} ({span}):",
    },
    "calendar.events": {
        "fr": "Vous avez {count} événements {said} ({span}) :",
        "en": "You have {count} events {said} ({span}):",
    },
    "calendar.line": {
        "fr": "- {date}, {start}–{end} : **{subject}**{place}{organiser}",
        "en": "- {date}, {start}–{end}: **{subject}**{place}{organiser}",
    },
    "calendar.organiser": {"fr": " — organisée par {name}", "en": " — organised by {name}"},
    # Models and replays (agents/models.py, agents/replay.py).
    "models.unreachable": {
        "fr": "La passerelle des modèles n'a pas répondu : réessayez dans un instant.",
        "en": "The model gateway did not answer: try again in a moment.",
    },
    "models.no_reply": {
        "fr": "la passerelle n'a pas pu obtenir de réponse du modèle",
        "en": "the gateway could not get an answer from the model",
    },
    "replay.not_replayed": {
        "fr": "Rejeu : cet appel d'outil ne figure pas dans l'exécution enregistrée ; il n'est pas exécuté.",
        "en": "Replay: this tool call is not in the recorded run; it is not executed.",
    },
}
