"""Why an answer was written without a generative model: each cause told apart, in words and on the run."""

import httpx
import openai

from agents.fallback import FallbackReason, UnusableReplyError, failed, no_model


def _gateway_error(
    kind: type[openai.APIStatusError], status: int, body: dict[str, object]
) -> openai.APIStatusError:
    response = httpx.Response(
        status, request=httpx.Request("POST", "http://gateway.test/v1/chat/completions")
    )
    return kind("refused", response=response, body=body)


def test_no_model_at_all_and_no_model_for_this_data_are_different_reasons():
    none = no_model("health", others_exist=False)
    refused = no_model("health", others_exist=True)

    assert none.record() == {
        "reason": "no_model",
        "detail": "aucun modèle génératif n'est configuré",
        "model": None,
    }
    assert refused.reason == FallbackReason.DATA_CLASS_REFUSED
    assert "données (de santé)" in refused.detail
    assert "aucun modèle génératif n'est configuré" not in refused.notice("voici les passages")


def test_a_model_refused_for_the_data_failing_or_replying_unusably_each_says_so():
    message = "Le modèle « cloud » ne peut pas recevoir de données de santé"
    refused = failed(_gateway_error(openai.PermissionDeniedError, 403, {"message": message}), "cloud")
    broken = failed(_gateway_error(openai.InternalServerError, 502, {"message": "upstream down"}), "hds")
    unusable = failed(UnusableReplyError("not JSON"), "hds")

    assert (refused.reason, refused.model) == (FallbackReason.DATA_CLASS_REFUSED, "cloud")
    assert message in refused.detail
    assert broken.reason == FallbackReason.MODEL_FAILED
    assert "upstream down" in broken.detail
    assert unusable.record() == {
        "reason": "model_unusable",
        "detail": "la réponse du modèle « hds » était inexploitable",
        "model": "hds",
    }
    for fallback in (refused, broken, unusable):
        assert "aucun modèle génératif n'est configuré" not in fallback.detail
