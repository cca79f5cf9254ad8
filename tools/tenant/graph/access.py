"""Who may see what, as Graph decides it for delegated access: the signed-in user and their groups."""

from __future__ import annotations

from dataclasses import dataclass

from tools.tenant.directory import Directory, User
from tools.tenant.graph.store import Document, EventRecord, SiteRecord


@dataclass(frozen=True)
class Principal:
    """The user a Graph request acts for, with the access-list entries that name them."""

    user: User
    entries: frozenset[str]

    @classmethod
    def of(cls, user: User, directory: Directory) -> Principal:
        """The user as an access list can name them: by mail, or through each of their groups."""
        known = {group.mail_nickname for group in directory.groups}
        groups = {f"group:{name}" for name in user.groups if name in known}
        return cls(user=user, entries=frozenset({user.mail.casefold(), *groups}))

    def is_listed(self, access: tuple[str, ...]) -> bool:
        """True when one entry of the access list names this user."""
        return any(entry.casefold() in self.entries for entry in access)

    def sees_event(self, event: EventRecord) -> bool:
        """Organisers and attendees see an event, its online meeting and its transcripts."""
        mail = self.user.mail.casefold()
        return event.organizer.casefold() == mail or any(a.casefold() == mail for a in event.attendees)

    def sees_site(self, site: SiteRecord) -> bool:
        """Members listed on the site see the site and its library."""
        return self.is_listed(site.access)

    def sees_document(self, document: Document) -> bool:
        """A file is visible to whoever its effective access list names."""
        return self.is_listed(document.access)
