"""The risk level of an AI system under the EU AI Act, from a short questionnaire.

Not legal advice: a first classification that tells the AI coordinator which obligations to look
at. Prohibited practices (art. 5) make a system unacceptable; a medical device or an Annex III use
(employment, access to care and benefits, biometrics) makes it high-risk; a system that talks with
people or generates content carries the transparency duties of art. 50 (limited); else minimal.
Until every question that could still change the level is answered, the level is « non évalué ».
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel


class RiskLevel(StrEnum):
    """EU AI Act categories, plus « not assessed yet »."""

    UNACCEPTABLE = "unacceptable"
    HIGH = "high"
    LIMITED = "limited"
    MINIMAL = "minimal"
    UNASSESSED = "unassessed"


RISK_LABELS = {
    RiskLevel.UNACCEPTABLE: "Inacceptable (pratique interdite)",
    RiskLevel.HIGH: "Haut risque",
    RiskLevel.LIMITED: "Risque limité (transparence)",
    RiskLevel.MINIMAL: "Risque minimal",
    RiskLevel.UNASSESSED: "Non évalué",
}


class Question(BaseModel):
    """One question of the questionnaire.

    Its wording and legal reference live in the catalogue (`governance.question.<key>`,
    `governance.reference.<key>` in `texts.py`), in French and English.
    """

    key: str
    level_if_yes: RiskLevel


QUESTIONS: tuple[Question, ...] = (
    Question(key="prohibited", level_if_yes=RiskLevel.UNACCEPTABLE),
    Question(key="medical_device", level_if_yes=RiskLevel.HIGH),
    Question(key="employment", level_if_yes=RiskLevel.HIGH),
    Question(key="essential_services", level_if_yes=RiskLevel.HIGH),
    Question(key="biometrics", level_if_yes=RiskLevel.HIGH),
    Question(key="interacts", level_if_yes=RiskLevel.LIMITED),
)
QUESTION_KEYS = frozenset(question.key for question in QUESTIONS)


def risk_level(answers: dict[str, bool]) -> RiskLevel:
    """The level the answers give (unanswered questions that could raise it leave it unassessed)."""
    for level in (RiskLevel.UNACCEPTABLE, RiskLevel.HIGH, RiskLevel.LIMITED):
        asked = [q for q in QUESTIONS if q.level_if_yes is level]
        if any(answers.get(q.key) is True for q in asked):
            return level
        if any(q.key not in answers for q in asked):
            return RiskLevel.UNASSESSED
    return RiskLevel.MINIMAL
