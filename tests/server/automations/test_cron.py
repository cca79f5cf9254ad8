"""Cron expressions on the Paris wall clock: slots across DST changes, the one slot after a downtime."""

from datetime import UTC, datetime

import pytest

from server.automations.cron import Cron, CronError


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_seven_oclock_in_paris_is_six_utc_in_winter_and_five_in_summer():
    cron = Cron.parse("0 7 * * *")

    assert cron.next_after(_utc("2026-12-05T06:30")) == _utc("2026-12-06T06:00")
    assert cron.next_after(_utc("2026-07-01T00:00")) == _utc("2026-07-01T05:00")


def test_the_day_the_clocks_change_each_morning_slot_comes_once_at_seven_local():
    cron = Cron.parse("0 7 * * *")
    spring = [cron.next_after(_utc("2026-03-28T12:00")), cron.next_after(_utc("2026-03-29T12:00"))]
    autumn = [cron.next_after(_utc("2026-10-24T12:00")), cron.next_after(_utc("2026-10-25T12:00"))]

    assert [cron.wall_clock(s) for s in spring if s] == ["2026-03-29T07:00", "2026-03-30T07:00"]
    assert spring == [_utc("2026-03-29T05:00"), _utc("2026-03-30T05:00")]
    assert autumn == [_utc("2026-10-25T06:00"), _utc("2026-10-26T06:00")]


def test_a_slot_in_the_skipped_hour_runs_once_when_the_clock_jumps_and_a_repeated_one_once():
    skipped = Cron.parse("30 2 * * *")
    repeated = Cron.parse("30 2 * * *")

    assert skipped.next_after(_utc("2026-03-28T23:00")) == _utc("2026-03-29T01:00")  # 03:00 CEST
    first = repeated.next_after(_utc("2026-10-24T23:00"))
    assert first == _utc("2026-10-25T00:30")  # 02:30 CEST, the first of the two
    assert repeated.next_after(first) == _utc("2026-10-26T01:30")  # not again at 02:30 CET


def test_after_a_downtime_only_the_latest_missed_slot_is_due():
    cron = Cron.parse("0 7 * * *")

    due = cron.latest_at_or_before(_utc("2026-12-05T09:00"), after=_utc("2026-12-01T06:00"))
    nothing = cron.latest_at_or_before(_utc("2026-12-05T05:59"), after=_utc("2026-12-04T06:00"))

    assert (due, nothing) == (_utc("2026-12-05T06:00"), None)


def test_weekdays_ranges_steps_and_lists():
    cron = Cron.parse("*/15 8-9 * * 1-5")
    saturday = _utc("2026-12-05T10:00")  # a Saturday

    assert cron.next_after(saturday) == _utc("2026-12-07T07:00")  # Monday 08:00 Paris
    assert Cron.parse("0 12 1,15 * *").next_after(_utc("2026-12-02T00:00")) == _utc("2026-12-15T11:00")
    assert Cron.parse("0 0 * * 7").weekdays == frozenset({0})


@pytest.mark.parametrize("expression", ["0 7 * *", "61 7 * * *", "0 7 * * 8", "a b c d e", "*/0 * * * *"])
def test_an_invalid_expression_is_refused_in_french(expression):
    with pytest.raises(CronError):
        Cron.parse(expression)
