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
    """One question of the questionnaire."""

    key: str
    text: str
    level_if_yes: RiskLevel
    reference: str


QUESTIONS: tuple[Question, ...] = (
    Question(
        key="prohibited",
        text="Le système note-t-il des personnes sur leur comportement social, reconnaît-il les émotions "
        "au travail, ou influence-t-il des personnes à leur insu ?",
        level_if_yes=RiskLevel.UNACCEPTABLE,
        reference="Règlement (UE) 2024/1689, art. 5",
    ),
    Question(
        key="medical_device",
        text="Le système contribue-t-il au diagnostic, au traitement ou à la surveillance de patients "
        "(dispositif médical) ?",
        level_if_yes=RiskLevel.HIGH,
        reference="art. 6 §1 et annexe I (règlement 2017/745)",
    ),
    Question(
        key="employment",
        text="Sert-il à recruter, évaluer, promouvoir ou affecter des agents, ou à surveiller leur travail ?",
        level_if_yes=RiskLevel.HIGH,
        reference="annexe III, point 4",
    ),
    Question(
        key="essential_services",
        text="Décide-t-il ou oriente-t-il l'accès de personnes à des soins, des prestations ou des droits "
        "(priorisation, éligibilité, tri des urgences) ?",
        level_if_yes=RiskLevel.HIGH,
        reference="annexe III, point 5",
    ),
    Question(
        key="biometrics",
        text="Identifie-t-il ou catégorise-t-il des personnes à partir de données biométriques ?",
        level_if_yes=RiskLevel.HIGH,
        reference="annexe III, point 1",
    ),
    Question(
        key="interacts",
        text="Dialogue-t-il avec des personnes ou produit-il des textes, des images ou des sons ?",
        level_if_yes=RiskLevel.LIMITED,
        reference="art. 50 (transparence)",
    ),
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
