"""The policy decision: which model a request may use, for which caller, with which data. Pure code."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from server.gateway.callers import Caller, CallerKind
from server.gateway.classification import Classification
from server.gateway.errors import ModelNotFoundError, PermissionDeniedError
from server.gateway.policy import (
    DataClass,
    Model,
    ModelKind,
    Policy,
    Rule,
    canonical_name,
    hosting_text,
    is_well_formed,
)
from server.messages import MESSAGES
from tools.i18n import joined

_NOT_OF_KIND = {
    ModelKind.CHAT: "gateway.not_a_chat_model",
    ModelKind.EMBEDDING: "gateway.not_an_embedding_model",
}


@dataclass(frozen=True)
class Grant:
    """Why a caller may use a model: a rule id (users) or the key's scope (service keys)."""

    rule: str
    data_classes: frozenset[DataClass]


@dataclass(frozen=True)
class Decision:
    """What the gateway decided for one request; recorded and traced as it is."""

    requested_model: str
    model: Model
    data_class: DataClass
    rule: str
    reason: str
    fallbacks: tuple[Model, ...] = ()


class Catalogue:
    """A validated policy, indexed for fast decisions, plus which providers are reachable."""

    def __init__(self, policy: Policy, configured_providers: Collection[str], version: int) -> None:
        self.policy = policy
        self.version = version
        self.configured = frozenset(configured_providers)
        self._by_name: dict[str, Model] = {}
        for model in policy.models:
            for name in [model.id, *model.aliases]:
                self._by_name[name] = model

    def resolve(self, raw: str) -> Model:
        """The catalogue model a caller's spelling names (ids and aliases, any case or spacing).

        Raises:
            ModelNotFoundError: no model has that name.
        """
        name = canonical_name(raw)
        model = self._by_name.get(name) if is_well_formed(name) else None
        if model is None:
            raise ModelNotFoundError(MESSAGES("gateway.unknown_model", model=raw.strip()[:80]), param="model")
        return model

    def is_configured(self, model: Model) -> bool:
        """True when the model's provider has an upstream (or is local)."""
        return model.provider in self.configured

    def grants(self, caller: Caller, model: Model, assistant: str | None) -> list[Grant]:
        """Every grant the caller holds on the model (empty: not allowed)."""
        if caller.scope is not None:
            scope = caller.scope
            if model.id not in scope.models or (scope.assistants and assistant not in scope.assistants):
                return []
            return [Grant(f"service_key:{caller.name}", scope.data_classes)]
        return [
            Grant(rule.id, frozenset(rule.data_classes))
            for rule in self.policy.rules
            if model.id in rule.models and _matches(rule, caller, assistant)
        ]

    def allowed_models(self, caller: Caller, assistant: str | None) -> list[Model]:
        """The configured models the caller may use, in catalogue order."""
        return [
            model
            for model in self.policy.models
            if self.is_configured(model) and self.grants(caller, model, assistant)
        ]

    def decide(
        self,
        caller: Caller,
        raw_model: str,
        classification: Classification,
        assistant: str | None,
        kind: ModelKind,
    ) -> Decision:
        """Decide a request, or refuse it with the reason.

        Raises:
            ModelNotFoundError: unknown model, wrong kind, or declared but not configured.
            PermissionDeniedError: `model_not_allowed`, `data_class_not_allowed`, `assistant_not_allowed`.
        """
        model = self.resolve(raw_model)
        if model.kind != kind:
            raise ModelNotFoundError(MESSAGES(_NOT_OF_KIND[kind], model=model.id), param="model")
        data_class = classification.data_class
        grants = self.grants(caller, model, assistant)
        if not grants:
            raise self._not_allowed(caller, model, assistant)
        fitting = [grant for grant in grants if data_class in grant.data_classes]
        if data_class not in model.data_classes or not fitting:
            rerouted = self._reroute(caller, model, classification, assistant)
            if rerouted is None:
                raise self._data_class_refusal(caller, model, classification, assistant, bool(fitting))
            return rerouted
        if not self.is_configured(model):
            raise _not_configured(model)
        reason = f"{data_class.label} autorisées pour {model.id} par {fitting[0].rule}"
        return Decision(
            raw_model,
            model,
            data_class,
            fitting[0].rule,
            reason,
            self._fallbacks(caller, model, data_class, assistant),
        )

    def _fits(
        self, caller: Caller, model: Model, data_class: DataClass, assistant: str | None
    ) -> Grant | None:
        if data_class not in model.data_classes or not self.is_configured(model):
            return None
        return next((g for g in self.grants(caller, model, assistant) if data_class in g.data_classes), None)

    def _fallbacks(
        self, caller: Caller, model: Model, data_class: DataClass, assistant: str | None
    ) -> tuple[Model, ...]:
        candidates = [self.policy.model(model_id) for model_id in model.fallbacks]
        return tuple(c for c in candidates if self._fits(caller, c, data_class, assistant) is not None)

    def _reroute(
        self, caller: Caller, model: Model, classification: Classification, assistant: str | None
    ) -> Decision | None:
        if not self.policy.reroute_to_allowed_model:
            return None
        data_class = classification.data_class
        for other in self.policy.models:
            grant = self._fits(caller, other, data_class, assistant) if other.kind == model.kind else None
            if grant is not None:
                reason = f"{data_class.label} : redirigé de {model.id} vers {other.id} ({grant.rule})"
                return Decision(
                    model.id,
                    other,
                    data_class,
                    grant.rule,
                    reason,
                    self._fallbacks(caller, other, data_class, assistant),
                )
        return None

    def _not_allowed(self, caller: Caller, model: Model, assistant: str | None) -> PermissionDeniedError:
        if (
            caller.kind is CallerKind.SERVICE_KEY
            and caller.scope
            and caller.scope.assistants
            and (assistant not in caller.scope.assistants)
        ):
            return PermissionDeniedError(
                MESSAGES(
                    "gateway.key_not_for_assistant",
                    service_key=caller.name,
                    assistant=assistant or MESSAGES("gateway.none"),
                ),
                code="assistant_not_allowed",
            )
        usable = self.allowed_models(caller, assistant)
        allowed = ", ".join(m.id for m in usable if m.kind == model.kind) or MESSAGES("gateway.none")
        key = caller.kind is CallerKind.SERVICE_KEY
        refusal = "gateway.key_model_not_allowed" if key else "gateway.profile_model_not_allowed"
        return PermissionDeniedError(MESSAGES(refusal, model=model.id, allowed=allowed), param="model")

    def _data_class_refusal(
        self,
        caller: Caller,
        model: Model,
        classification: Classification,
        assistant: str | None,
        caller_may_send: bool,
    ) -> PermissionDeniedError:
        data_class = classification.data_class
        seen = (
            MESSAGES("gateway.seen", findings=classification.explanation()) if classification.findings else ""
        )
        data = data_class.text
        if data_class not in model.data_classes:
            why = (
                MESSAGES("gateway.health_hosting_only")
                if data_class is DataClass.HEALTH
                else MESSAGES(
                    "gateway.model_accepts_only", classes=joined([c.text for c in model.data_classes])
                )
            )
            where = hosting_text(model.hosting)
            refusal = MESSAGES(
                "gateway.data_class_not_hosted", data=data, seen=seen, why=why, model=model.id, where=where
            )
        else:
            refusal = MESSAGES("gateway.data_class_not_cleared", data=data, seen=seen, model=model.id)
        options = [
            m.id
            for m in self.policy.models
            if m.kind == model.kind and self._fits(caller, m, data_class, assistant) is not None
        ]
        message = (
            MESSAGES("gateway.models_for_data", refusal=refusal, models=", ".join(options))
            if options
            else MESSAGES("gateway.no_model_for_data", refusal=refusal)
        )
        return PermissionDeniedError(message, code="data_class_not_allowed", param="messages")


def _matches(rule: Rule, caller: Caller, assistant: str | None) -> bool:
    if rule.roles and not caller.roles.intersection(rule.roles):
        return False
    if rule.services and caller.service.casefold() not in {s.casefold() for s in rule.services}:
        return False
    return not rule.assistants or assistant in rule.assistants


def _not_configured(model: Model) -> ModelNotFoundError:
    env = f"ARIANE_GATEWAY_UPSTREAMS__{model.provider.upper()}__BASE_URL"
    return ModelNotFoundError(
        MESSAGES("gateway.model_not_configured", model=model.id, provider=model.provider, setting=env),
        code="model_not_configured",
        param="model",
    )
