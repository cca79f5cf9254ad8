"""The agents' fixed texts in French and English, by id, and the language of the run that says them.

A run speaks the language of the user who started it (`Caller.language`, recorded in the audit
trail's `run_start`): `speaking(language)` sets it for the run's task (and the tasks LangGraph starts
from it, which copy the context), and `say(id, **params)` renders a text in it. The audit replay sets
the recorded language again, so that a replayed run says exactly what was shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from agents.answer_texts import ANSWER_TEXTS
from tools.i18n import DEFAULT_LANGUAGE, Catalogue, Language

_language: ContextVar[Language] = ContextVar("ariane_run_language", default=DEFAULT_LANGUAGE)


@contextmanager
def speaking(language: Language) -> Iterator[None]:
    """Say the texts of the code run inside in `language`."""
    token = _language.set(language)
    try:
        yield
    finally:
        _language.reset(token)


def run_language() -> Language:
    """The language of the run being executed (French outside one)."""
    return _language.get()


def say(key: str, **params: object) -> str:
    """The text `key` in the run's language."""
    return MESSAGES.text(key, _language.get(), **params)


MESSAGES = Catalogue(
    {
        # The turn runner (agents/runner.py).
        "run.audit_unavailable": {
            "fr": "Le journal d'audit est indisponible : aucune réponse ne"
            " peut être donnée sans trace ({reason}).",
            "en": "The audit trail is unavailable: no answer can be given without a record ({reason}).",
        },
        "run.models_unavailable": {
            "fr": "Les modèles sont indisponibles.",
            "en": "The models are unavailable.",
        },
        "run.tool_silent": {"fr": "Un outil n'a pas répondu.", "en": "A tool did not answer."},
        "run.tool_failed": {
            "fr": "{detail} La réponse n'a pas pu être établie : réessayez.",
            "en": "{detail} The answer could not be established: try again.",
        },
        "run.confirmation_only": {
            "fr": "Ce parcours s'ouvre seulement en confirmant une action retenue, depuis la conversation.",
            "en": "This workflow only opens by confirming a held action, from the conversation.",
        },
        "run.unknown_workflow": {
            "fr": "Parcours inconnu « {name} » (connus : {known}).",
            "en": "Unknown workflow « {name} » (known: {known}).",
        },
        "run.workflow_not_offered": {
            "fr": "L'assistant « {assistant} » ne propose pas : {chosen}. Il propose : {offered}.",
            "en": "Assistant « {assistant} » does not offer: {chosen}. It offers: {offered}.",
        },
        "run.assistant_workflow_unavailable": {
            "fr": "Le parcours « {name} » de l'assistant « {assistant} » n'est pas disponible.",
            "en": "Workflow « {name} » of assistant « {assistant} » is not available.",
        },
        "run.approval_waiting": {
            "fr": "J'ai préparé la demande de lancement du robot « {robot} »."
            " Elle attend la validation de : {approvers}.",
            "en": "I prepared the request to launch robot « {robot} ». It"
            " awaits the approval of: {approvers}.",
        },
        "run.no_answer": {
            "fr": "Je n'ai pas pu produire de réponse.",
            "en": "I could not produce an answer.",
        },
        # What a workflow is called in a message (agents/workflows.py).
        "workflow.meeting_summary": {"fr": "résumé de réunion", "en": "meeting summary"},
        "workflow.document_question": {"fr": "question sur les documents", "en": "question about documents"},
        "workflow.tool_agent": {"fr": "tâche avec les outils", "en": "task with the tools"},
        "workflow.knowledge_question": {
            "fr": "question sur les documents de l'assistant",
            "en": "question about the assistant's documents",
        },
        "workflow.robot_request": {"fr": "demande de robot", "en": "robot request"},
        "workflow.tool_confirmation": {"fr": "confirmation d'une action", "en": "confirmation of an action"},
        "workflow.attachment_question": {
            "fr": "question sur les fichiers joints",
            "en": "question on the attached files",
        },
        # Tool cards (agents/toolbox.py).
        "tool.find_meeting": {
            "fr": "Recherche de la réunion dans votre agenda…",
            "en": "Looking for the meeting in your calendar…",
        },
        "tool.list_events": {"fr": "Consultation de votre agenda…", "en": "Reading your calendar…"},
        "tool.get_event": {"fr": "Lecture de l'événement…", "en": "Reading the event…"},
        "tool.get_transcript": {"fr": "Lecture de la transcription…", "en": "Reading the transcript…"},
        "tool.search_transcript": {
            "fr": "Recherche dans la transcription…",
            "en": "Searching the transcript…",
        },
        "tool.search_documents": {
            "fr": "Recherche dans les documents SharePoint…",
            "en": "Searching the SharePoint documents…",
        },
        "tool.read_document": {"fr": "Lecture du document…", "en": "Reading the document…"},
        "tool.search_knowledge": {
            "fr": "Recherche dans les documents de référence…",
            "en": "Searching the reference documents…",
        },
        "tool.list_robots": {
            "fr": "Consultation du catalogue des robots…",
            "en": "Reading the robot catalogue…",
        },
        "tool.describe_robot": {
            "fr": "Lecture de la fiche du robot…",
            "en": "Reading the robot's description…",
        },
        "tool.trigger_robot": {
            "fr": "Demande de lancement du robot…",
            "en": "Requesting the robot's launch…",
        },
        "tool.get_job": {"fr": "Suivi de la tâche du robot…", "en": "Following the robot's job…"},
        "tool.other": {"fr": "Appel de l'outil {tool}…", "en": "Calling tool {tool}…"},
        "tool.not_allowed": {
            "fr": "L'outil « {name} » n'est pas autorisé pour cet assistant.",
            "en": "Tool « {name} » is not allowed for this assistant.",
        },
        # Robot requests (agents/robots/graph.py).
        "robot.not_recognised": {
            "fr": "Je n'ai pas reconnu le robot demandé. Robots que vous pouvez demander :\n{names}",
            "en": "I did not recognise the robot asked for. Robots you may request:\n{names}",
        },
        "robot.ambiguous": {
            "fr": "Votre demande peut concerner plusieurs robots ; précisez lequel :\n{names}",
            "en": "Your request may concern several robots; say which one:\n{names}",
        },
        "robot.refused": {
            "fr": "Je n'ai pas pu demander ce robot. {message}",
            "en": "I could not request this robot. {message}",
        },
        "robot.the_approver": {"fr": "le valideur", "en": "the approver"},
        "robot.approved": {
            "fr": "Votre demande de lancement du robot « {robot} » a été validée par {who}. "
            "Le robot est lancé ; son avancement s'affiche avec la demande.",
            "en": "Your request to launch robot « {robot} » was approved by {who}. "
            "The robot is launched; its progress shows with the request.",
        },
        "robot.rejected": {
            "fr": "Votre demande de lancement du robot « {robot} » a été refusée par {who}.",
            "en": "Your request to launch robot « {robot} » was rejected by {who}.",
        },
        "robot.rejected_because": {
            "fr": "Votre demande de lancement du robot « {robot} » a été refusée par {who} : {reason}.",
            "en": "Your request to launch robot « {robot} » was rejected by {who}: {reason}.",
        },
        "robot.expired": {
            "fr": "Votre demande de lancement du robot « {robot} » a expiré"
            " sans décision : le robot n'a pas été lancé.",
            "en": "Your request to launch robot « {robot} » expired without"
            " a decision: the robot was not launched.",
        },
        # Confirmation of a held tool call (agents/confirmation.py).
        "confirm.invalid": {
            "fr": "Je n'ai pas reconnu l'action à confirmer : rien n'a été exécuté.",
            "en": "I did not recognise the action to confirm: nothing was run.",
        },
        "confirm.declined": {
            "fr": "Action annulée : l'outil « {name} » n'a pas été exécuté.",
            "en": "Action cancelled: tool « {name} » was not run.",
        },
        "confirm.unavailable": {
            "fr": "{message} L'action n'a pas été exécutée.",
            "en": "{message} The action was not run.",
        },
        "confirm.tool_gone": {
            "fr": "L'outil « {name} » n'est plus disponible tel qu'il a été"
            " approuvé : l'action n'a pas été exécutée.",
            "en": "Tool « {name} » is no longer available as it was approved: the action was not run.",
        },
        "confirm.not_confirmed": {
            "fr": "Cet appel de « {name} » n'est pas celui que vous avez confirmé : il n'a pas été exécuté.",
            "en": "This call of « {name} » is not the one you confirmed: it was not run.",
        },
        "confirm.failed": {
            "fr": "L'action confirmée a échoué : {message}",
            "en": "The confirmed action failed: {message}",
        },
        "confirm.done": {
            "fr": "Action confirmée : l'outil « {name} » a été exécuté.\n\nRésultat :\n\n{body}",
            "en": "Action confirmed: tool « {name} » was run.\n\nResult:\n\n{body}",
        },
        # Answers without a generative model (agents/fallback.py, agents/model_node.py).
        "fallback.notice": {
            "fr": "_Réponse extractive : {detail} ; {what}_",
            "en": "_Extractive answer: {detail}; {what}_",
        },
        "fallback.no_model": {
            "fr": "aucun modèle génératif n'est configuré",
            "en": "no generative model is configured",
        },
        "fallback.data_class_refused": {
            "fr": "aucun modèle génératif ouvert n'est autorisé à recevoir ces données ({label})",
            "en": "no open generative model may receive this data ({label})",
        },
        "fallback.unusable": {
            "fr": "la réponse du modèle « {model} » était inexploitable",
            "en": "the reply of model « {model} » was unusable",
        },
        "fallback.quota": {
            "fr": "votre quota d'utilisation des modèles est épuisé",
            "en": "your model usage quota is spent",
        },
        "fallback.refused": {
            "fr": "le modèle « {model} » a été refusé pour ces données",
            "en": "model « {model} » was refused for this data",
        },
        "fallback.failed": {
            "fr": "le modèle « {model} » n'a pas pu répondre",
            "en": "model « {model} » could not answer",
        },
        "fallback.unreachable": {
            "fr": "la passerelle des modèles n'a pas répondu",
            "en": "the model gateway did not answer",
        },
        "fallback.no_verified_citation_documents": {
            "fr": "aucune citation du modèle n'a pu être vérifiée dans les documents",
            "en": "no citation of the model could be verified in the documents",
        },
        "fallback.no_verified_citation_document": {
            "fr": "aucune citation du modèle n'a pu être vérifiée dans le document",
            "en": "no citation of the model could be verified in the document",
        },
        "fallback.model_not_used": {
            "fr": "Modèle non utilisé : {detail}. Réponse extractive à la place.",
            "en": "Model not used: {detail}. Extractive answer instead.",
        },
        "fallback.citations_dropped": {
            "fr": "Aucune citation du modèle n'a pu être vérifiée : réponse extractive à la place.",
            "en": "No citation of the model could be verified: extractive answer instead.",
        },
        "data_class.public": {"fr": "publiques", "en": "public"},
        "data_class.internal": {"fr": "internes", "en": "internal"},
        "data_class.personal": {"fr": "personnelles", "en": "personal"},
        "data_class.health": {"fr": "de santé", "en": "health"},
        # Open requests (agents/open_requests.py, agents/tool_agent.py).
        "open.model_needed": {
            "fr": "Cette demande nécessite un modèle génératif (rédiger, reformuler, traduire, calculer ou"
            " planifier), et {detail}. Sans modèle génératif, je peux résumer une réunion transcrite,"
            " répondre à partir des documents de référence (ou en faire la synthèse), lister vos réunions"
            " et préparer la demande de lancement d'un robot. Pour disposer d'un modèle, adressez-vous au"
            " coordinateur IA de votre établissement.",
            "en": "This request needs a generative model (writing, rewording, translating, calculating or"
            " planning), and {detail}. Without a generative model, I can summarise a transcribed meeting,"
            " answer from the reference documents (or summarise them), list your meetings and prepare"
            " the request to launch a robot. To get a model, ask your organisation's AI coordinator.",
        },
        "open.cannot_answer": {
            "fr": "Je ne peux pas répondre : {detail}.",
            "en": "I cannot answer: {detail}.",
        },
        "open.unknown_tool": {"fr": "Outil inconnu : {name}", "en": "Unknown tool: {name}"},
        "open.too_many_steps": {
            "fr": "Je n'ai pas abouti en un nombre raisonnable d'étapes : reformulez votre demande.",
            "en": "I did not get there in a reasonable number of steps: rephrase your request.",
        },
        # What an extractive answer is made of.
        "shown.spoken_words": {
            "fr": "chaque point reprend des propos réellement tenus, sélectionnés automatiquement.",
            "en": "each point repeats words actually spoken, selected automatically.",
        },
        "shown.synthesis": {
            "fr": "chaque partie est résumée par ses phrases les plus"
            " représentatives, citées telles quelles.",
            "en": "each part is summarised by its most representative sentences, quoted as they are.",
        },
        "shown.passages": {
            "fr": "voici les passages des documents qui répondent le mieux à votre question.",
            "en": "here are the passages of the documents that best answer your question.",
        },
        **ANSWER_TEXTS,
    }
)
