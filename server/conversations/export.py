"""A conversation as a document: Markdown, or DOCX (python-docx), each answer with its sources.

Answers are Markdown already; the DOCX keeps their structure (headings, lists, bold) without
rendering anything else (no HTML, no images, links as text with their address).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from docx import Document
from docx.shared import Pt

from server.chat.schemas import Run, Thread
from server.conversations.links import CitationLinks
from server.conversations.schemas import ExportLanguage

PARIS = ZoneInfo("Europe/Paris")
# Characters XML 1.0 cannot carry (control characters, lone surrogates): a title or request typed
# with one must still export, so they are dropped from the Word file (the Markdown keeps them).
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LABELS = {
    ExportLanguage.FR: {
        "with": "Conversation avec {assistant}",
        "exported": "Exportée le {date}",
        "you": "Vous",
        "sources": "Sources",
        "no_answer": "(pas de réponse : {detail})",
        "running": "(réponse en cours)",
    },
    ExportLanguage.EN: {
        "with": "Conversation with {assistant}",
        "exported": "Exported on {date}",
        "you": "You",
        "sources": "Sources",
        "no_answer": "(no answer: {detail})",
        "running": "(answer in progress)",
    },
}
_ORDERED = re.compile(r"^\s*(\d+)[.)]\s+(.*)$")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
# What a Markdown viewer would make live in an exported file: images (loaded at once: an injected
# `![](https://…?data)` leaks without a click), raw HTML, links and link definitions. The web app shows
# none of them live for text it did not write; the export keeps them as text likewise.
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_ANY_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]*)[^)]*\)")
_DEFINITION = re.compile(r"^(\s{0,3})\[", re.MULTILINE)


@dataclass(frozen=True)
class Conversation:
    """What an export shows: the thread, its runs (oldest first) and its assistant's name."""

    thread: Thread
    runs: list[Run]
    assistant_name: str
    exported_at: datetime
    language: ExportLanguage = ExportLanguage.FR
    links: CitationLinks | None = None  # None: each citation's stored address, as it is


def _when(moment: datetime) -> str:
    return moment.astimezone(PARIS).strftime("%d/%m/%Y %H:%M")


def inert_markdown(text: str) -> str:
    """`text` with nothing a Markdown viewer would load or link.

    Images become their description, links `label (address)`, raw HTML and link definitions text.
    """
    text = _IMAGE.sub(lambda m: m[1], text)
    text = _ANY_LINK.sub(lambda m: f"{m[1]} ({m[2]})" if m[2] else m[1], text)
    text = text.replace("<", "&lt;").replace("![", "!\\[")
    return _DEFINITION.sub(lambda m: m[1] + "\\[", text)


def citation_line(
    citation: dict[str, Any], links: CitationLinks | None = None, text: Callable[[str], str] = str
) -> str:
    """`[n] title, locator (speaker) — « quote » <url>` for one stored citation.

    `text` is applied to what the document said (title, locator, speaker, quote), not to the address
    Ariane gives.
    """
    where = ", ".join(part for part in (citation.get("title"), citation.get("locator")) if part)
    if citation.get("speaker"):
        where = f"{citation['speaker']} · {where}"
    line = f"[{citation.get('index', '?')}] {text(where)}"
    if citation.get("quote"):
        line += f" — « {text(citation['quote'])} »"
    url = links.of(citation) if links else citation.get("url")
    if url:
        line += f" <{url}>"
    return line


def _answer_text(run: Run, labels: dict[str, str]) -> str:
    if run.answer:
        return run.answer
    if run.error:
        return labels["no_answer"].format(detail=run.error.get("detail", run.status))
    return labels["running"]


def to_markdown(conversation: Conversation) -> str:
    """The conversation as Markdown, sources after each answer."""
    labels = _LABELS[conversation.language]
    lines = [
        f"# {inert_markdown(conversation.thread.title)}",
        "",
        labels["with"].format(assistant=conversation.assistant_name)
        + " · "
        + labels["exported"].format(date=_when(conversation.exported_at)),
    ]
    for run in conversation.runs:
        lines += ["", f"## {labels['you']} — {_when(run.created_at)}", "", inert_markdown(run.request), ""]
        lines += [
            f"## {inert_markdown(conversation.assistant_name)}",
            "",
            inert_markdown(_answer_text(run, labels)),
        ]
        if run.citations:
            lines += ["", f"**{labels['sources']}**", ""]
            lines += [
                f"- {citation_line(citation, conversation.links, inert_markdown)}"
                for citation in run.citations
            ]
    return "\n".join(lines) + "\n"


def to_docx(conversation: Conversation) -> bytes:
    """The conversation as a Word document, sources after each answer."""
    labels = _LABELS[conversation.language]
    document = Document()
    title = _xml_text(conversation.thread.title)
    assistant = _xml_text(conversation.assistant_name)
    document.core_properties.title = title
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(title, level=0)
    document.add_paragraph(
        labels["with"].format(assistant=assistant)
        + " · "
        + labels["exported"].format(date=_when(conversation.exported_at))
    )
    for run in conversation.runs:
        document.add_heading(f"{labels['you']} — {_when(run.created_at)}", level=2)
        for paragraph in _xml_text(run.request).splitlines() or [""]:
            document.add_paragraph(paragraph)
        document.add_heading(assistant, level=2)
        _add_markdown(document, _xml_text(_answer_text(run, labels)))
        if run.citations:
            document.add_paragraph().add_run(labels["sources"]).bold = True
            for citation in run.citations:
                line = citation_line(citation, conversation.links)
                document.add_paragraph(_xml_text(line), style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def _add_markdown(document: Any, markdown: str) -> None:
    """Headings, lists and bold of an answer; every other character kept as text."""
    for line in markdown.splitlines():
        if not line.strip():
            continue
        if heading := _HEADING.match(line):
            document.add_heading(heading.group(2), level=min(len(heading.group(1)) + 2, 9))
        elif ordered := _ORDERED.match(line):
            _add_inline(document.add_paragraph(style="List Number"), ordered.group(2))
        elif bullet := _BULLET.match(line):
            _add_inline(document.add_paragraph(style="List Bullet"), bullet.group(1))
        else:
            _add_inline(document.add_paragraph(), line)


def _add_inline(paragraph: Any, text: str) -> None:
    text = _LINK.sub(r"\1 (\2)", text)
    position = 0
    for bold in _BOLD.finditer(text):
        paragraph.add_run(text[position : bold.start()])
        paragraph.add_run(bold.group(1)).bold = True
        position = bold.end()
    paragraph.add_run(text[position:])
