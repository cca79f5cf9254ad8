"""Reading web-proxy logs as a stream: Squid's native `access.log`, or a CSV export.

Lines are read from chunks as they arrive and folded into counts per day, AI service and user at
once, so memory holds the counts (bounded by people, services and days), never the log. A line that
cannot be read is counted and skipped with its number and the reason; it never stops the reading.

Squid's native format (`logformat squid`):
    time elapsed client code/status bytes method URL user hierarchy/peer type
CSV exports of commercial proxies: a header row naming at least a time, a user, a host or URL and
bytes (the usual spellings, English or French, are recognised), comma- or semicolon-separated.
"""

from __future__ import annotations

import csv
from collections.abc import AsyncIterable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from server.governance.shadow.catalogue import HostMatcher, host_of
from server.messages import MESSAGES
from tools.i18n import Text, joined

PARIS = ZoneInfo("Europe/Paris")
MAX_LINE_BYTES = 64 * 1024
MAX_EXAMPLES = 20


class LogFormat(StrEnum):
    """The shapes of proxy logs Ariane reads."""

    SQUID = "squid"
    CSV = "csv"


class LogFormatError(ValueError):
    """The log's format cannot be recognised (nothing is stored); `str`: French, `text`: any language."""

    def __init__(self, text: Text) -> None:
        super().__init__(str(text))
        self.text = text


@dataclass
class Tally:
    """What a log holds, once read: counts per (day, AI service, user) and the reading's figures."""

    lines: int = 0
    ai_lines: int = 0
    malformed: int = 0
    examples: list[dict[str, object]] = field(default_factory=list)
    first: float | None = None
    last: float | None = None
    counts: dict[tuple[int, str, str], list[int]] = field(default_factory=dict)

    def skip(self, number: int, reason: str) -> None:
        """Count a malformed line (its number and why are kept for the first few)."""
        self.malformed += 1
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.append({"line": number, "reason": reason})

    def days(self) -> tuple[date | None, date | None]:
        """First and last day seen."""
        if self.first is None or self.last is None:
            return None, None
        return _day_of(self.first), _day_of(self.last)


def _day_of(epoch: float) -> date:
    return datetime.fromtimestamp(epoch, PARIS).date()


class _Days:
    """Local day (ordinal) of an epoch time, remembered per hour (offsets change on the hour)."""

    def __init__(self) -> None:
        self._hours: dict[int, int] = {}

    def of(self, epoch: float) -> int:
        hour = int(epoch // 3600)
        day = self._hours.get(hour)
        if day is None:
            day = _day_of(hour * 3600.0).toordinal()
            if len(self._hours) > 100_000:
                self._hours.clear()
            self._hours[hour] = day
        return day


def normalise_user(raw: str) -> str:
    r"""A proxy's user name as a directory key: lower case, without `DOMAIN\`; '' when absent."""
    value = raw.strip().strip('"').lower()
    if value in ("", "-"):
        return ""
    if "\\" in value:
        value = value.rsplit("\\", 1)[1]
    return value.replace("%40", "@").replace("%5c", "\\")


class _Reader:
    """Shared folding of one hit into the tally."""

    def __init__(self, tally: Tally, matcher: HostMatcher) -> None:
        self.tally = tally
        self.matcher = matcher
        self.days = _Days()

    def hit(self, epoch: float, user: str, client: str, target: str, size: int) -> None:
        tally = self.tally
        if tally.first is None or epoch < tally.first:
            tally.first = epoch
        if tally.last is None or epoch > tally.last:
            tally.last = epoch
        host = host_of(target)
        if host is None:
            return
        service = self.matcher.match(host)
        if service is None:
            return
        tally.ai_lines += 1
        who = normalise_user(user) or (f"ip:{client}" if client else "")
        key = (self.days.of(epoch), service, who)
        entry = tally.counts.get(key)
        if entry is None:
            tally.counts[key] = [1, size]
        else:
            entry[0] += 1
            entry[1] += size


class SquidReader(_Reader):
    """Squid's native access.log lines."""

    def lines(self, lines: list[str], first_number: int) -> None:
        """Fold these lines, numbered from `first_number + 1`."""
        number = first_number
        for line in lines:
            number += 1
            fields = line.split()
            if not fields:
                continue
            self.tally.lines += 1
            if len(fields) < 7:
                self.tally.skip(number, "fields_missing")
                continue
            try:
                epoch = float(fields[0])
                size = int(fields[4])
            except ValueError:
                self.tally.skip(number, "not_a_number")
                continue
            if size < 0 or not 0 < epoch < 32_503_680_000:
                self.tally.skip(number, "out_of_range")
                continue
            self.hit(epoch, fields[7] if len(fields) > 7 else "-", fields[2], fields[6], size)


_COLUMNS: dict[str, tuple[str, ...]] = {
    "time": ("time", "timestamp", "date", "datetime", "date_time", "horodatage", "heure", "logtime",
             "receive_time", "event_time"),
    "user": ("user", "username", "user_name", "login", "utilisateur", "identifiant", "account",
             "src_user", "cs-username", "usr"),
    "host": ("host", "hostname", "domain", "domaine", "dest_host", "destination", "dst_host",
             "cs-host", "site", "server", "url", "uri", "cs-uri", "request_url", "dest"),
    "bytes": ("bytes", "octets", "size", "taille", "bytes_total", "total_bytes", "sc-bytes",
              "bytes_in", "bytes_out", "rcvd_bytes", "volume"),
    "client": ("client", "client_ip", "src_ip", "source_ip", "ip", "c-ip", "adresse_ip", "src"),
}  # fmt: skip


def _find(header: list[str], names: tuple[str, ...]) -> int | None:
    folded = [name.strip().strip('"').lower().replace(" ", "_") for name in header]
    for name in names:
        if name in folded:
            return folded.index(name)
    return None


def parse_time(text: str) -> float:
    """Epoch seconds of a CSV time: epoch (s or ms), ISO 8601, or `dd/mm/yyyy hh:mm[:ss]`.

    Naive times are local to the hospital (Europe/Paris).

    Raises:
        ValueError: none of these.
    """
    value = text.strip().strip('"')
    if value.replace(".", "", 1).isdigit():
        epoch = float(value)
        return epoch / 1000 if epoch > 1e11 else epoch
    if len(value) >= 10 and value[2] == "/" and value[5] == "/":
        value = f"{value[6:10]}-{value[3:5]}-{value[0:2]}{value[10:]}"
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=PARIS)
    return moment.timestamp()


class CsvReader(_Reader):
    """CSV exports: the first row names the columns."""

    def __init__(self, tally: Tally, matcher: HostMatcher) -> None:
        super().__init__(tally, matcher)
        self._columns: tuple[int, int, int, int, int | None] | None = None
        self._delimiter = ","

    def _header(self, line: str) -> None:
        self._delimiter = ";" if line.count(";") > line.count(",") else ","
        header = next(csv.reader([line], delimiter=self._delimiter))
        found = {name: _find(header, names) for name, names in _COLUMNS.items()}
        missing = [name for name in ("time", "user", "host", "bytes") if found[name] is None]
        if missing:
            columns = joined([MESSAGES(f"governance.log_column.{name}") for name in missing])
            raise LogFormatError(MESSAGES("governance.csv_columns_missing", columns=columns))
        time, user, host, size = (found[name] for name in ("time", "user", "host", "bytes"))
        assert time is not None
        assert user is not None
        assert host is not None
        assert size is not None
        self._columns = (time, user, host, size, found["client"])

    def lines(self, lines: list[str], first_number: int) -> None:
        """Fold these rows (the first one of the log is the header), numbered from `first_number + 1`."""
        if self._columns is None:
            while lines and not lines[0].strip():
                lines, first_number = lines[1:], first_number + 1
            if not lines:
                return
            self._header(lines[0])
            lines, first_number = lines[1:], first_number + 1
        assert self._columns is not None
        time, user, host, size, client = self._columns
        widest = max(time, user, host, size, client or 0)
        number = first_number
        for row in csv.reader(lines, delimiter=self._delimiter):
            number += 1
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            self.tally.lines += 1
            if len(row) <= widest:
                self.tally.skip(number, "fields_missing")
                continue
            try:
                epoch = parse_time(row[time])
                amount = int(float(row[size] or 0))
            except ValueError:
                self.tally.skip(number, "not_a_number")
                continue
            if amount < 0:
                self.tally.skip(number, "out_of_range")
                continue
            self.hit(epoch, row[user], row[client] if client is not None else "", row[host], amount)


def sniff(first_line: str) -> LogFormat:
    """Squid when the line starts with an epoch time and has Squid's fields, else CSV."""
    fields = first_line.split()
    if len(fields) >= 7:
        try:
            float(fields[0])
            int(fields[4])
        except ValueError:
            return LogFormat.CSV
        return LogFormat.SQUID
    return LogFormat.CSV


async def read_log(
    chunks: AsyncIterable[bytes],
    matcher: HostMatcher,
    log_format: LogFormat | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[LogFormat, Tally]:
    """Fold a log arriving in chunks into a tally; the format is recognised on the first line if not given.

    Raises:
        LogFormatError: the log is empty or its CSV header names no usable columns.
    """
    tally = Tally()
    reader: SquidReader | CsvReader | None = None
    pending = b""
    number = 0
    received = 0
    async for chunk in chunks:
        received += len(chunk)
        data = pending + chunk
        cut = data.rfind(b"\n")
        if cut < 0:
            if len(data) > MAX_LINE_BYTES:  # one endless line: skip it, keep nothing
                number += 1
                tally.lines += 1
                tally.skip(number, "line_too_long")
                data = b""
            pending = data
            continue
        pending = data[cut + 1 :]
        lines = data[:cut].decode("utf-8", errors="replace").split("\n")
        if reader is None:
            first = next((line for line in lines if line.strip()), None)
            if first is None:  # nothing but blank lines so far
                number += len(lines)
                continue
            log_format = log_format or sniff(first)
            reader = _reader(log_format, tally, matcher)
        reader.lines([line.rstrip("\r") for line in lines], number)
        number += len(lines)
        if progress is not None:
            progress(received)
    if pending.strip():
        line = pending.decode("utf-8", errors="replace").rstrip("\r")
        if reader is None:
            log_format = log_format or sniff(line)
            reader = _reader(log_format, tally, matcher)
        reader.lines([line], number)
    if reader is None or log_format is None:
        raise LogFormatError(MESSAGES("governance.log_empty"))
    return log_format, tally


def _reader(log_format: LogFormat, tally: Tally, matcher: HostMatcher) -> SquidReader | CsvReader:
    return SquidReader(tally, matcher) if log_format is LogFormat.SQUID else CsvReader(tally, matcher)
