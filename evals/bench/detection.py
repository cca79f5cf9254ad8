"""The health-data detectors (`server.gateway.classification`) on the prompts the gateway classifies.

A chat message, and the meeting agent's prompt for a long meeting (48 kB of cues `[id] start Speaker:
text` made from the fictional hospital's transcripts), without and with health words in the talk
(every eighth cue speaks of a screening or a treatment campaign: the windows around them are read).
The reference is reading the same 48 kB prompt once into the views every detector needs (`visible`,
`folded`, `plain`): the floor of any classification. Series are measured in turns (one sample of
each, then again) so that the load of a shared machine weighs on all alike; times are the process's
CPU time (what the gateway spends), not the wall clock.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

from evals.bench.stats import Report, Series
from server.gateway.classification import classify, forget_findings
from server.gateway.detection.normalise import Views
from server.gateway.detection.people import NameBook
from server.gateway.policy import DataClass
from tools.tenant.directory import load_directory

ROUNDS = 60
SIZE = 48_000
DATA = Path(__file__).resolve().parents[2] / "tools" / "tenant" / "data" / "transcripts"
_CUE = re.compile(r"^(\S+)\n(\d\d:\d\d:\d\d)\.\d+ --> \S+\n<v ([^>]+)>(.*?)(?:</v>)?$", re.M)
_CAMPAIGNS = (
    "On en reparle pour le dépistage du cancer du sein.",
    "La campagne contre le diabète reprend en mars.",
    "La chimiothérapie ambulatoire change d'étage.",
    "Les urgences psychiatriques recrutent.",
)


def meeting_prompt(health_words: bool) -> str:
    """About 48 kB of cues the way the meeting agent writes them."""
    cues = [
        f"[{match.group(1)}] {match.group(2)} {match.group(3)}: {match.group(4)}"
        for path in sorted(DATA.glob("*.vtt"))
        for match in _CUE.finditer(path.read_text(encoding="utf-8"))
    ]
    lines: list[str] = []
    while sum(len(line) + 1 for line in lines) < SIZE:
        index = len(lines)
        extra = f" {_CAMPAIGNS[index // 8 % 4]}" if health_words and index % 8 == 0 else ""
        lines.append(cues[index % len(cues)] + extra)
    return "Transcription :\n" + "\n".join(lines)


async def run() -> Report:
    book = NameBook.of(user.display_name for user in load_directory().users)
    plain, health = meeting_prompt(False), meeting_prompt(True)

    def views(text: str) -> Callable[[], object]:
        def read() -> object:
            view = Views(text, transcript=True)
            return view.folded, view.plain

        return read

    def classified(text: str) -> Callable[[], object]:
        def first_reading() -> object:
            forget_findings()  # a prompt read again is remembered: measure reading it
            return classify([text], DataClass.INTERNAL, names=book)

        return first_reading

    measured = {
        "read 48 kB into views (reference)": views(plain),
        "chat message": classified("Bonjour, combien de jours de congés me reste-t-il cette année ?"),
        "48 kB meeting prompt": classified(plain),
        "48 kB meeting prompt, health words": classified(health),
    }
    samples: dict[str, list[float]] = {name: [] for name in measured}
    for _ in range(ROUNDS):
        for name, work in measured.items():
            started = time.process_time()
            work()
            samples[name].append((time.process_time() - started) * 1000)
    return Report(
        benchmark="detection",
        description="health-data classification of a /v1 prompt (process CPU time)",
        series=[Series(name, values) for name, values in samples.items()],
        reference="read 48 kB into views (reference)",
        notes={
            "prompt_chars": len(plain),
            "classes": {
                "48 kB meeting prompt": classify([plain], DataClass.INTERNAL, names=book).data_class.value,
                "with health words": classify([health], DataClass.INTERNAL, names=book).data_class.value,
            },
        },
    )
