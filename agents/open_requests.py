"""Open requests without a model that may call tools: the calendar read directly, or an honest « no ».

Calendar questions (« mes réunions cette semaine / demain / jeudi ») are answered from the user's
calendar through the calendar tool. Tasks only a generative model can do (write, rephrase, translate,
compute, plan) get one short answer saying so, why, and what the user can do instead — never
passages picked by similarity.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from agents.context import RunContext
from agents.conversation import history_of, is_follow_up
from agents.dates import long_date
from agents.fallback import Fallback
from agents.folding import fold
from agents.messages import say
from agents.requests import asks_calendar, needs_model
from agents.state import AnswerState

_DAYS = "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
_MONTHS = "janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre"
_PERIOD = re.compile(
    rf"\b(aujourd'hui|avant-hier|apres-demain|hier|demain|ce matin|cet apres-midi|ce soir"
    rf"|cette semaine|la semaine (?:derniere|passee|prochaine)|semaine (?:derniere|passee|prochaine)"
    rf"|ce mois(?:-ci)?|le mois (?:dernier|passe|prochain)"
    rf"|(?:{_DAYS})\s+(?:dernier|passe|prochain)"
    rf"|(?:le\s+)?(?:(?:{_DAYS})\s+)?(?:1er|\d{{1,2}})\s+(?:{_MONTHS})(?:\s+\d{{4}})?"
    rf"|(?:{_DAYS}))\b"
)
_SAME_DAY = {"ce matin": "aujourd'hui", "cet apres-midi": "aujourd'hui", "ce soir": "aujourd'hui"}


def calendar_period(message: str, now: datetime) -> tuple[str, str, str]:
    """The period a calendar question asks about: (start, end) for `list_events`, and how to say it.

    A bare weekday means the next one (today included): an agenda is asked about ahead. Without any
    date, the next seven days.
    """
    found = _PERIOD.search(fold(message))
    if found is None:
        today = now.date()
        return today.isoformat(), (today + timedelta(days=6)).isoformat(), say("calendar.next_seven_days")
    phrase = _SAME_DAY.get(found.group(1), found.group(1))
    said = say("calendar.said", phrase=found.group(1))
    days = _DAYS.split("|")
    if phrase in days:
        wanted = days.index(phrase)
        phrase = "aujourd'hui" if wanted == now.weekday() else f"{phrase} prochain"
    return phrase, phrase, said


def _event_line(event: dict[str, Any]) -> str:
    start, end = str(event["start"]), str(event["end"])
    where = "Teams" if event.get("online_meeting") else ""
    if event.get("location"):
        where = f"{where}, {event['location']}" if where else str(event["location"])
    organiser = say("calendar.organiser", name=event["organizer"]) if event.get("organizer") else ""
    place = f" ({where})" if where else ""
    return say(
        "calendar.line",
        date=long_date(start),
        start=start[11:16],
        end=end[11:16],
        subject=event["subject"],
        place=place,
        organiser=organiser,
    )


async def calendar_answer(message: str, context: RunContext) -> AnswerState:
    """The user's events over the period the question names, listed in order."""
    start, end, said = calendar_period(message, context.now)
    listed = await context.tools.call("calendar", "list_events", {"start": start, "end": end})
    if not listed.ok:
        return {"outcome": listed.code or "tool_error", "answer": listed.message, "mode": "extractive"}
    events = listed.data.get("events", [])
    first, last = str(listed.data.get("start", "")), str(listed.data.get("end", ""))
    span = long_date(first)
    if first and last:
        last_day = (datetime.fromisoformat(last) - timedelta(seconds=1)).isoformat()
        if last_day[:10] != first[:10]:
            span = say("calendar.span", first=long_date(first), last=long_date(last_day))
    if not events:
        answer = say("calendar.none", said=said, span=span)
    else:
        count = len(events)
        lead = say("calendar.events" if count > 1 else "calendar.event", count=count, said=said, span=span)
        answer = "\n".join([lead, "", *(_event_line(event) for event in events)])
    return {"outcome": "ok", "mode": "extractive", "answer": answer}


def model_needed_answer(fallback: Fallback) -> AnswerState:
    """One short, honest answer: this task needs a generative model, why there is none, what to do."""
    answer = say("open.model_needed", detail=fallback.detail)
    return {"outcome": "model_needed", "mode": "extractive", "answer": answer, "fallback": fallback.record()}


async def without_model(state: AnswerState, context: RunContext, fallback: Fallback) -> AnswerState:
    """An open request when no model may call tools: the calendar, or the honest answer."""
    message = state["message"]
    history = history_of(state)
    if is_follow_up(message, history) and asks_calendar(history[-1].message) and not needs_model(message):
        message = f"{message} (réunions)"  # « et demain ? » after a calendar question
        return await calendar_answer(message, context)
    if asks_calendar(message):
        return await calendar_answer(message, context)
    return model_needed_answer(fallback)
