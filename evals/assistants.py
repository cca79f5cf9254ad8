"""Assistant profiles the evaluation suites run as (until assistants are stored, part of issue 6 A).

The coach as DOMAIN.md describes it: instructions, its knowledge collection, its contact.
"""

from __future__ import annotations

from agents.assistant import AssistantProfile

COACH_CONTACT = "la cellule temps de travail (cellule.tempsdetravail@chru-exemple.fr, poste 4 12 34)"
COACH = AssistantProfile(
    id="coach-temps-de-travail",
    name="Coach Temps de Travail",
    instructions=(
        "Réponds de façon fiable et professionnelle, uniquement à partir du règlement intérieur de gestion "
        "du temps de travail et des notes de service. N'invente rien, explique simplement, réponds "
        "brièvement et invite à confirmer auprès de la cellule temps de travail."
    ),
    data_class="personal",
    tools=["knowledge"],
    workflows=["knowledge_question"],
    knowledge="coach-temps-de-travail",
    contact=COACH_CONTACT,
)
PROFILES = {COACH.id: COACH}
