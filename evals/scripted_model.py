"""A scripted chat model behind a fake OpenAI-compatible upstream (evals and tests only, never product).

It reads the prompts the workflows send and answers deterministically: for a meeting summary, one
point per evenly spaced cue of the asked speaker, quoting the cue's first sentence verbatim; for a
document question, the first passage, quoted; for an assistant's knowledge question (its instructions in
the system prompt), the sentence sharing most words with the question. `invent` adds a quote of
something never said, to check that unverifiable citations are dropped; `unusable` replies prose
instead of the JSON asked.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

_CUE = re.compile(r"^\[(?P<id>[^\]]+)\] (?P<start>\S+) (?P<speaker>[^:]+): (?P<text>.*)$")
_PASSAGE = re.compile(r"^\[(?P<n>\d+)\] (?P<where>[^\n]*)\n(?P<text>.*)$", re.DOTALL)
_COUNT = re.compile(r"Nombre de points : (\d+)")


def _words(text: str) -> set[str]:
    """Content words (5+ letters, lower case), cut to 6 letters: a crude French stemming."""
    return {word[:6] for word in re.findall(r"\w{5,}", text.lower())}


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s+", text.strip())[0]


@dataclass
class ScriptedChatModel:
    """The scripted model's behaviour and what it was asked."""

    invent: bool = False
    delay: float = 0.0  # seconds before each answer (a model's latency, for the load benchmark)
    keep_prompts: bool = True
    unusable: bool = False  # reply prose instead of the JSON asked (a model that misbehaves)
    prompts: list[list[dict[str, Any]]] = field(default_factory=list)

    @property
    def app(self) -> Starlette:
        return Starlette(routes=[Route("/v1/chat/completions", self._chat, methods=["POST"])])

    async def _chat(self, request: Request) -> JSONResponse:
        body = json.loads(await request.body())
        messages = body["messages"]
        if self.keep_prompts:
            self.prompts.append(messages)
        if self.delay:
            await asyncio.sleep(self.delay)
        prompt = str(messages[-1]["content"])
        if self.unusable:
            content = "Bien sûr ! Voici ce que je peux vous dire à ce sujet, sans format particulier."
        elif "Parcours possibles" in str(messages[0]["content"]):
            content = self._route(prompt)
        elif "Transcription :" in prompt:
            content = self._meeting(prompt)
        elif "Consignes de l'assistant" in str(messages[0]["content"]):
            content = self._knowledge(prompt)
        else:
            content = self._document(prompt)
        return JSONResponse(
            {
                "id": "chatcmpl-scripted",
                "object": "chat.completion",
                "created": 0,
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {
                    "prompt_tokens": len(prompt) // 4,
                    "completion_tokens": len(content) // 4,
                    "total_tokens": (len(prompt) + len(content)) // 4,
                },
            }
        )

    def _route(self, message: str) -> str:
        lowered = message.lower()
        if any(word in lowered for word in ("réunion", "comité", "assemblée")):
            return json.dumps({"workflow": "meeting_summary"})
        if any(word in lowered for word in ("agenda", "rendez-vous", "semaine")):
            return json.dumps({"workflow": "tool_agent"})
        return json.dumps({"workflow": "document_question"})

    def _meeting(self, prompt: str) -> str:
        cues = [m.groupdict() for line in prompt.splitlines() if (m := _CUE.match(line))]
        count = int(_COUNT.search(prompt).group(1)) if _COUNT.search(prompt) else 3  # type: ignore[union-attr]
        long_cues = [cue for cue in cues if len(cue["text"].split()) >= 8] or cues
        step = max(1, len(long_cues) // max(count, 1))
        chosen = long_cues[::step][:count]
        points = [
            {
                "text": f"{cue['speaker']} indique : {_first_sentence(cue['text'])}",
                "cue_ids": [cue["id"]],
                "quote": _first_sentence(cue["text"]),
                "speaker": cue["speaker"],
            }
            for cue in chosen
        ]
        if self.invent and points:
            points[-1]["quote"] = "Nous allons fermer tous les services le week-end."
        return json.dumps({"points": points}, ensure_ascii=False)

    def _knowledge(self, prompt: str) -> str:
        """A short answer: the sentence of the passages sharing most words with the question, quoted."""
        question = prompt.split("Passages :", 1)[0].removeprefix("Question :").strip()
        blocks = prompt.split("Passages :", 1)[-1].strip().split("\n\n")
        passages = [m.groupdict() for block in blocks if (m := _PASSAGE.match(block))]
        wanted = _words(question)
        best: tuple[int, int, str] | None = None
        for passage in passages:
            for sentence in re.split(r"(?<=[.!?;])\s+", passage["text"].strip()):
                overlap = len(wanted & _words(sentence))
                if 20 <= len(sentence) <= 300 and (best is None or overlap > best[0]):
                    best = (overlap, int(passage["n"]), sentence)
        if best is None:
            return json.dumps({"answer": "Les passages ne répondent pas à cette question.", "citations": []})
        _, number, quote = best
        citations = [{"passage": number, "quote": quote}]
        if self.invent:
            citations.append({"passage": number, "quote": "Les astreintes ne sont jamais compensées."})
        answer = f"{quote} [1]"
        return json.dumps({"answer": answer, "citations": citations}, ensure_ascii=False)

    def _document(self, prompt: str) -> str:
        blocks = prompt.split("Passages :", 1)[-1].strip().split("\n\n")
        passages = [m.groupdict() for block in blocks if (m := _PASSAGE.match(block))]
        if not passages:
            return json.dumps({"answer": "Les passages ne répondent pas à cette question.", "citations": []})
        quote = _first_sentence(passages[0]["text"])
        answer = f"D'après {passages[0]['where']} : {quote} [1]"
        return json.dumps(
            {"answer": answer, "citations": [{"passage": 1, "quote": quote}]}, ensure_ascii=False
        )
