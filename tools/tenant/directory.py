"""The fictional directory of the tenant: organisation, users and groups, loaded from data files."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict

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

    def user_by_mail(self, mail: str) -> User | None:
        """The user with this mail address, or None."""
        wanted = mail.strip().casefold()
        return next((user for user in self.users if user.mail.casefold() == wanted), None)

    def user_by_id(self, user_id: str) -> User | None:
        """The user with this object id, or None."""
        return next((user for user in self.users if user.id == user_id), None)

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
