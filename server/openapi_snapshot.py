"""The committed snapshot of `/openapi.json` the web app's types are generated from.

`python -m server.openapi_snapshot web/src/api/openapi.json` writes it (`npm run api:types` in `web/`
does, then generates `web/src/api/schema.d.ts`); `tests/server/test_openapi_snapshot.py` fails while
the committed file differs from what the app documents. The app is built on default settings only
(no environment, no `.env`): building it opens no database and no connection, and the document does
not depend on where it is built.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from server.app import create_app
from server.settings import Settings


class _DefaultSettings(Settings):
    """The settings' defaults, whatever the environment of the machine building the snapshot."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


def openapi_document() -> dict[str, Any]:
    """What `/openapi.json` answers, from an app built but never started."""
    return create_app(_DefaultSettings()).openapi()


def render(document: dict[str, Any]) -> str:
    """The snapshot's text: stable key order as generated, two-space indent, UTF-8, final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Write the snapshot to the one path given on the command line."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.exit("ariane: usage: python -m server.openapi_snapshot PATH")
    Path(args[0]).write_text(render(openapi_document()), encoding="utf-8")


if __name__ == "__main__":
    main()
