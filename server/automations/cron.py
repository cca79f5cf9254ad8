"""Cron expressions (five fields) on a wall clock, e.g. Europe/Paris, correct across DST changes.

`minute hour day-of-month month day-of-week`, each `*`, a number, a range `a-b`, a list `a,b` and a
step `*/n` or `a-b/n`; day-of-week 0-7 (0 and 7 are Sunday). As in cron, when both day fields are
restricted a day matching either one matches.

Slots are wall-clock times: « 0 7 * * * » is 07:00 in Paris in winter (06:00 UTC) and in summer
(05:00 UTC). A slot in the hour skipped in spring runs once at the instant the clock jumps to
(02:30 → 03:00 CEST); a slot in the hour repeated in autumn runs once, at its first occurrence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from server.messages import MESSAGES
from tools.i18n import Text

_BOUNDS = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))
_NAMES = ("minute", "hour", "day", "month", "weekday")  # automations.cron_field.*
_HORIZON_DAYS = 366 * 5  # a valid expression that never matches (« 0 0 30 2 * ») stops there


class CronError(ValueError):
    """An expression that is not a valid five-field cron expression (`str`: French; `text`: any language)."""

    def __init__(self, text: Text) -> None:
        super().__init__(str(text))
        self.text = text


def _name(index: int) -> Text:
    return MESSAGES(f"automations.cron_field.{_NAMES[index]}")


def _field(text: str, index: int) -> frozenset[int]:
    low, high = _BOUNDS[index]
    values: set[int] = set()
    for part in text.split(","):
        base, _, step_text = part.partition("/")
        try:
            step = int(step_text) if step_text else 1
            if base == "*":
                start, end = low, high
            elif "-" in base:
                first, last = base.split("-", 1)
                start, end = int(first), int(last)
            else:
                start = end = int(base)
        except ValueError:
            raise CronError(MESSAGES("automations.cron_invalid", field=_name(index), text=text)) from None
        if step < 1 or not low <= start <= end <= high:
            raise CronError(
                MESSAGES("automations.cron_out_of_bounds", field=_name(index), low=low, high=high, text=text)
            )
        values.update(range(start, end + 1, step))
    if index == 4 and 7 in values:
        values = (values - {7}) | {0}
    return frozenset(values)


@dataclass(frozen=True)
class Cron:
    """A parsed expression and the wall clock it is read on."""

    expression: str
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday
    day_any: bool
    weekday_any: bool
    zone: ZoneInfo

    @classmethod
    def parse(cls, expression: str, zone: str = "Europe/Paris") -> Cron:
        """Parse `expression` for the time zone `zone`.

        Raises:
            CronError: not five valid fields.
        """
        fields = expression.split()
        if len(fields) != 5:
            raise CronError(MESSAGES("automations.cron_fields"))
        parsed = [_field(text, index) for index, text in enumerate(fields)]
        return cls(
            " ".join(fields), parsed[0], parsed[1], parsed[2], parsed[3], parsed[4],
            fields[2] == "*", fields[4] == "*", ZoneInfo(zone),
        )  # fmt: skip

    def _day_matches(self, day: date) -> bool:
        if day.month not in self.months:
            return False
        in_month = day.day in self.days
        in_week = (day.isoweekday() % 7) in self.weekdays
        if self.day_any or self.weekday_any:
            return in_month and in_week
        return in_month or in_week

    def _instant(self, day: date, hour: int, minute: int) -> datetime:
        """The UTC instant of a wall-clock slot (first occurrence; after the jump if skipped)."""
        local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.zone)
        instant = local.astimezone(UTC)
        wall = local.replace(tzinfo=None)
        if instant.astimezone(self.zone).replace(tzinfo=None) != wall:
            # Skipped by the spring change: the instant the clock jumps over it.
            probe = local.replace(fold=1).astimezone(UTC)
            while probe.astimezone(self.zone).replace(tzinfo=None) < wall:
                probe += timedelta(minutes=1)
            return probe
        return instant

    def _slots(self, day: date) -> list[datetime]:
        if not self._day_matches(day):
            return []
        return [
            self._instant(day, hour, minute) for hour in sorted(self.hours) for minute in sorted(self.minutes)
        ]

    def next_after(self, moment: datetime) -> datetime | None:
        """The first slot strictly after `moment` (an aware datetime), in UTC; None if never."""
        start = moment.astimezone(self.zone).date() - timedelta(days=1)  # a slot of yesterday shifted by DST
        for offset in range(_HORIZON_DAYS):
            found = [instant for instant in self._slots(start + timedelta(days=offset)) if instant > moment]
            if found:
                return min(found)
        return None

    def latest_at_or_before(self, moment: datetime, after: datetime) -> datetime | None:
        """The last slot in (`after`, `moment`]: the one slot to run after a downtime; None if none."""
        start = moment.astimezone(self.zone).date() + timedelta(days=1)
        floor = after.astimezone(self.zone).date() - timedelta(days=1)
        for offset in range(_HORIZON_DAYS):
            day = start - timedelta(days=offset)
            if day < floor:
                return None
            found = [instant for instant in self._slots(day) if after < instant <= moment]
            if found:
                return max(found)
        return None

    def wall_clock(self, instant: datetime) -> str:
        """A slot as its wall-clock time (`2026-12-05T07:00`): its identity, once per slot."""
        return instant.astimezone(self.zone).strftime("%Y-%m-%dT%H:%M")
