"""What one row becomes: the `/v1` request sent for it, or its mail-merge letter.

The request is built the same way when the batch runs, when it is previewed and when it is replayed
from the audit trail, so that a replay can check it byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from server.batches.template import Template, parse_template
from server.messages import MESSAGES

FRAME = (
    "Tu rédiges des courriers pour le secrétariat du CHRU Exemple. Suis la consigne ci-dessous et "
    "complète le modèle de courrier que l'utilisateur te donne. Réponds uniquement par le texte du "
    "courrier, en français, sans rien inventer qui ne soit dans la consigne ou le modèle."
)


@dataclass(frozen=True)
class LetterTemplate:
    """A batch's instruction (to the model) and letter skeleton, checked against its columns."""

    instruction: Template
    body: Template

    @classmethod
    def of(cls, instruction: str, body: str, columns: list[str]) -> LetterTemplate:
        """Both parts, parsed.

        Raises:
            TemplateError: a part cannot be applied to these columns.
        """
        return cls(
            parse_template(instruction, columns, what=MESSAGES("batches.what.instruction")),
            parse_template(body, columns, what=MESSAGES("batches.what.letter")),
        )

    def merge(self, values: dict[str, str]) -> str:
        """The letter without a model: the skeleton filled in."""
        return self.body.render(values)

    def messages(self, values: dict[str, str]) -> list[dict[str, str]]:
        """The chat messages for one row."""
        instruction = self.instruction.render(values).strip()
        system = f"{FRAME}\n\nConsigne : {instruction}" if instruction else FRAME
        return [
            {"role": "system", "content": system},
            {"role": "user", "content": self.body.render(values)},
        ]

    def used(self, values: dict[str, str]) -> dict[str, str]:
        """The row's values the template uses (what is recorded for replay; nothing more)."""
        keys = dict.fromkeys([*self.instruction.keys, *self.body.keys])
        return {key: values.get(key, "") for key in keys}


def chat_request(
    template: LetterTemplate, values: dict[str, str], model: str, temperature: float, max_tokens: int
) -> dict[str, Any]:
    """The body of the row's `POST /v1/chat/completions`."""
    return {
        "model": model,
        "messages": template.messages(values),
        "temperature": temperature,
        "max_tokens": max_tokens,
    }


def answer_text(body: dict[str, Any]) -> str:
    """The letter in a chat completion.

    Raises:
        ValueError: the answer has no text.
    """
    try:
        content = body["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError) as exc:
        raise ValueError("réponse du modèle sans texte") from exc
    if not isinstance(content, str) or not content.strip():
        raise ValueError("réponse du modèle vide")
    return content.strip()
