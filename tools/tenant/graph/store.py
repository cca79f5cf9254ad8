"""The tenant's Microsoft 365 content (calendar, meetings, transcripts, sites, documents), from data files.

The built-in folder and, when set, an extra folder are read in the same format; file paths inside each
JSON file are relative to the folder that holds it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path, PurePath

from pydantic import BaseModel, ConfigDict

from tools.doctext import Section, extract_sections
from tools.tenant.directory import DATA_DIR


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class TranscriptRef(_Frozen):
    """A Teams transcript of an online meeting: a WebVTT file."""

    id: str
    file: str
    created: datetime


class OnlineMeetingRecord(_Frozen):
    """The Teams meeting attached to a calendar event."""

    id: str
    join_web_url: str
    transcripts: tuple[TranscriptRef, ...] = ()


class EventRecord(_Frozen):
    """A calendar event; `start` and `end` are local times of the tenant's time zone."""

    id: str
    subject: str
    body_preview: str = ""
    start: datetime
    end: datetime
    location: str = ""
    organizer: str
    attendees: tuple[str, ...] = ()
    online_meeting: OnlineMeetingRecord | None = None


class ItemRecord(_Frozen):
    """A file of a site's document library; `access` None inherits the site's list."""

    id: str
    name: str
    file: str
    created: datetime
    modified: datetime
    author: str
    access: tuple[str, ...] | None = None


class SiteRecord(_Frozen):
    """A SharePoint site with its access list (`group:<mail_nickname>` or a mail) and its files."""

    id: str
    name: str
    display_name: str
    description: str = ""
    web_url: str
    access: tuple[str, ...]
    items: tuple[ItemRecord, ...] = ()

    @property
    def drive_id(self) -> str:
        """Id of the site's default document library, shaped like Graph's (`b!…`)."""
        return f"b!{self.id}"


@dataclass(frozen=True)
class Document:
    """A file with its bytes and its text, as the search index and the content endpoint need."""

    site: SiteRecord
    item: ItemRecord
    content: bytes
    sections: tuple[Section, ...]

    @property
    def access(self) -> tuple[str, ...]:
        """Who may read it: the item's own list when it breaks inheritance, else the site's."""
        return self.item.access if self.item.access is not None else self.site.access


@dataclass
class Content:
    """Everything Graph serves besides the directory, indexed by id."""

    events: dict[str, EventRecord] = field(default_factory=dict)
    transcripts: dict[str, str] = field(default_factory=dict)  # transcript id -> WebVTT text
    sites: dict[str, SiteRecord] = field(default_factory=dict)
    documents: dict[tuple[str, str], Document] = field(default_factory=dict)  # (drive id, item id)

    def meeting_event(self, meeting_id: str) -> EventRecord | None:
        """The event that carries this online meeting."""
        return next(
            (e for e in self.events.values() if e.online_meeting and e.online_meeting.id == meeting_id),
            None,
        )

    def site_of_drive(self, drive_id: str) -> SiteRecord | None:
        """The site whose default library has this id."""
        return next((site for site in self.sites.values() if site.drive_id == drive_id), None)


class _CalendarFile(_Frozen):
    events: tuple[EventRecord, ...] = ()


class _SitesFile(_Frozen):
    sites: tuple[SiteRecord, ...] = ()


def load_content(extra_dir: Path | None = None) -> Content:
    """Read the built-in data folder, then the extra one; later ids replace earlier ones."""
    content = Content()
    for folder in (DATA_DIR, extra_dir):
        if folder is not None:
            _load_folder(folder, content)
    return content


def _load_folder(folder: Path, content: Content) -> None:
    calendar_path, sites_path = folder / "calendar.json", folder / "sites.json"
    if calendar_path.is_file():
        calendar = _CalendarFile.model_validate(json.loads(calendar_path.read_text(encoding="utf-8")))
        for event in calendar.events:
            content.events[event.id] = event
            for ref in event.online_meeting.transcripts if event.online_meeting else ():
                content.transcripts[ref.id] = (folder / ref.file).read_text(encoding="utf-8-sig")
    if sites_path.is_file():
        sites = _SitesFile.model_validate(json.loads(sites_path.read_text(encoding="utf-8")))
        for site in sites.sites:
            content.sites[site.id] = site
            for item in site.items:
                path = folder / item.file
                stat = path.stat()
                data, sections = _read_document(str(path), item.name, stat.st_mtime_ns, stat.st_size)
                content.documents[(site.drive_id, item.id)] = Document(site, item, data, sections)


_TEXT_DOCUMENTS = {".pdf", ".docx"}


@lru_cache(maxsize=256)
def _read_document(path: str, name: str, mtime_ns: int, size: int) -> tuple[bytes, tuple[Section, ...]]:
    # Extraction costs tens of milliseconds per PDF; every tenant built in one process (tests, benches)
    # shares it. The key holds the file's mtime and size, so an edited file is read again.
    data = Path(path).read_bytes()
    if PurePath(name).suffix.lower() not in _TEXT_DOCUMENTS:  # tables, images: served, found by name
        return data, ()
    return data, tuple(extract_sections(data, name))
