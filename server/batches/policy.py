"""Which models a table may reach, and whether one row may be sent: the gateway's own rules.

Nothing here decides anew: the models offered are those the gateway's catalogue allows the user for
the table's declared class, and each row is classified by the gateway's detectors
(`server.gateway.classification.classify`) and decided by its catalogue, exactly as the row's `/v1`
call will be. A row the chosen model may not receive is refused before it is sent; the gateway would
refuse it too (it classifies every call again), which is the second lock, not the first.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from server.auth.schemas import User
from server.gateway.callers import Caller
from server.gateway.classification import Classification, classify
from server.gateway.decision import Catalogue
from server.gateway.detection.people import NameBook
from server.gateway.errors import GatewayError
from server.gateway.policy import HOSTING_LABELS, DataClass, ModelKind
from server.gateway.schemas import request_content
from server.messages import MESSAGES
from tools.i18n import Text

CatalogueSource = Callable[[], Awaitable[Catalogue]]
NameSource = Callable[[], NameBook | None]  # the gateway's name book (None: the first names only)


@dataclass(frozen=True)
class OfferedModel:
    """A model the page offers for this table."""

    id: str
    label: str
    hosting: str
    hosting_label: str


@dataclass(frozen=True)
class RowCheck:
    """The gateway's verdict on one row: its class, what was detected, and a refusal if any."""

    classification: Classification
    refusal: GatewayError | None = None

    @property
    def allowed(self) -> bool:
        """True when the row may be sent to the model."""
        return self.refusal is None


def caller_of(user: User) -> Caller:
    """The gateway caller a batch's rows are sent as."""
    return Caller.from_user(user)


def offered_models(catalogue: Catalogue, user: User, data_class: DataClass) -> list[OfferedModel]:
    """Chat models the user may send data of `data_class` to, configured, in catalogue order."""
    caller = caller_of(user)
    offered = []
    for model in catalogue.allowed_models(caller, None):
        if model.kind is not ModelKind.CHAT:
            continue
        try:
            catalogue.decide(caller, model.id, Classification(data_class), None, ModelKind.CHAT)
        except GatewayError:
            continue
        offered.append(
            OfferedModel(
                model.id, model.label or model.id, model.hosting.value, HOSTING_LABELS[model.hosting]
            )
        )
    return offered


def why_none(catalogue: Catalogue, user: User, data_class: DataClass) -> Text:
    """Why no model is offered (the page shows it beside the mail-merge offer)."""
    caller = caller_of(user)
    chat = [m for m in catalogue.allowed_models(caller, None) if m.kind is ModelKind.CHAT]
    if not chat:
        return MESSAGES("batches.no_model")
    return MESSAGES(
        "batches.no_model_for_class",
        data=MESSAGES(f"batches.data_class.{data_class.value}"),
        models=", ".join(m.id for m in chat),
    )


def check_row(
    catalogue: Catalogue,
    user: User,
    model: str,
    declared: DataClass,
    request: dict[str, Any],
    names: NameBook | None = None,
) -> RowCheck:
    """Classify the row's request from the declared class up, and decide as the gateway will.

    The texts are those the gateway reads in the same body (`request_content`) and `names` its
    name book: the gateway's classification of the row's call then finds these findings remembered
    (one reading of each row's text per process), and both see the same data.
    """
    texts, unreadable = request_content(request)
    classification = classify(texts, declared, names=names, unreadable=unreadable)
    try:
        catalogue.decide(caller_of(user), model, classification, None, ModelKind.CHAT)
    except GatewayError as refusal:
        return RowCheck(classification, refusal)
    return RowCheck(classification)


def check_model(catalogue: Catalogue, user: User, model: str, declared: DataClass) -> GatewayError | None:
    """The gateway's refusal of `model` for a table of class `declared`, or None."""
    try:
        catalogue.decide(caller_of(user), model, Classification(declared), None, ModelKind.CHAT)
    except GatewayError as refusal:
        return refusal
    return None
