"""Read one untrusted PDF, DOCX or TXT in a subprocess of its own: `python -m server.knowledge.reader`.

The file's bytes come on standard input; one JSON object goes to standard output: its media type,
page count and sections, or `{"error": code, "message": …}`. The parent (`server.knowledge.bounded`)
bounds this process's memory, CPU time and file sizes and kills it at a timeout, so that a hostile
file costs at most that; nothing here touches the network, the database or any file.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from server.knowledge.extraction import ExtractionError, extract
from tools.i18n import Text


def main(argv: list[str] | None = None) -> int:
    """Read stdin as the file `--name`, print the JSON result; 0 even when the file is refused."""
    parser = argparse.ArgumentParser(prog="python -m server.knowledge.reader")
    parser.add_argument("--name", required=True)
    parser.add_argument("--max-pages", type=int, default=0)
    parser.add_argument("--max-chars", type=int, default=0)
    args = parser.parse_args(argv)
    data = sys.stdin.buffer.read()
    try:
        extracted = extract(
            data, args.name, max_pages=args.max_pages or None, max_chars=args.max_chars or None
        )
    except ExtractionError as exc:
        result: dict[str, object] = {"error": exc.code, "message": str(exc.message)}
        if isinstance(exc.message, Text):  # its id and parameters: the parent renders it for its reader
            result["text"] = exc.message.stored()
    else:
        result = {
            "media_type": extracted.media_type.value,
            "page_count": extracted.page_count,
            "sections": [dataclasses.asdict(section) for section in extracted.sections],
        }
    sys.stdout.write(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
