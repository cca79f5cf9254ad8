"""The fictional directory of the tenant: organisation, users and groups, loaded from data files."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, PrivateAttr

DATA_DIR = Path(__file__).resolve().parent / "data"


class TenantInfo(BaseModel):
    """The organisation the directory belongs to."""

    model_config = ConfigDict(frozen=True)

    id: str
    display_name: str
    domain: str
    time_zone: str


class Group(BaseModel):
    """A security group; its id travels in the `groups` claim of tokens."""

    model_config = ConfigDict(frozen=True)

    id: str
    mail_nickname: str
    display_name: str
    description: str = ""


class User(BaseModel):
    """A person of the fictional hospital."""

    model_config = ConfigDict(frozen=True)

    id: str
    mail: str
    given_name: str
    surname: str
    display_name: str
    job_title: str
    department: str
    job_category: str
    office_location: str = ""
    preferred_language: str = "fr-FR"
    groups: tuple[str, ...] = ()

    @property
    def account_name(self) -> str:
        """The Windows account name (`onPremisesSamAccountName`) proxies log: initial + surname."""
        from tools.tenant.population import account_name

        return account_name(self.given_name, self.surname)


class Directory(BaseModel):
    """Users and groups, looked up by mail (case-insensitive) or id."""

    tenant: TenantInfo
    groups: list[Group]
    users: list[User]

    _index: tuple[int, dict[str, User], dict[str, User]] | None = PrivateAttr(default=None)

    def _indexed(self) -> tuple[dict[str, User], dict[str, User]]:
        """Users by mail (casefolded) and by id, built again when users were added.

        A lookup was a scan of every user, on every request the tenant serves.
        """
        index = self._index
        if index is None or index[0] != len(self.users):
            by_mail: dict[str, User] = {}
            by_id: dict[str, User] = {}
            for user in self.users:  # the first of a mail or id wins, as the scan found it
                by_mail.setdefault(user.mail.casefold(), user)
                by_id.setdefault(user.id, user)
            index = self._index = (len(self.users), by_mail, by_id)
        return index[1], index[2]

    def user_by_mail(self, mail: str) -> User | None:
        """The user with this mail address, or None."""
        return self._indexed()[0].get(mail.strip().casefold())

    def user_by_id(self, user_id: str) -> User | None:
        """The user with this object id, or None."""
        return self._indexed()[1].get(user_id)

    def group_ids_of(self, user: User) -> list[str]:
        """Object ids of the groups the user belongs to."""
        by_nickname = {group.mail_nickname: group.id for group in self.groups}
        return [by_nickname[name] for name in user.groups if name in by_nickname]


class _ExtraDirectory(BaseModel):
    groups: list[Group] = []
    users: list[User] = []


def load_directory(extra_dir: Path | None = None) -> Directory:
    """Load the built-in directory and the generated staff, then add those of `extra_dir/directory.json`."""
    from tools.tenant.population import generate_population

    directory = Directory.model_validate(_read_json(DATA_DIR / "directory.json"))
    directory.users.extend(generate_population({user.account_name for user in directory.users}))
    if extra_dir is not None and (extra_dir / "directory.json").is_file():
        extra = _ExtraDirectory.model_validate(_read_json(extra_dir / "directory.json"))
        directory.groups.extend(extra.groups)
        directory.users.extend(extra.users)
    return directory


def _read_json(path: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return data
