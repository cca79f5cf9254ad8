"""Read one untrusted PDF or DOCX in a subprocess of its own: `python -m tools.doctext.reader`.

The file's bytes come on standard input; one JSON object goes to standard output: its sections, or
`{"error": code, "message": …}` (`document_too_long`, `unreadable_document`). The parent
(`tools.doctext.bounded.sections_bounded`) bounds this process's memory, CPU time and file sizes and
kills it at a timeout, so that a hostile file costs at most that; nothing here touches the network
or any file.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from tools.doctext.extract import DocumentFormatError, DocumentTooLongError, extract_sections


def main(argv: list[str] | None = None) -> int:
    """Read stdin as the file `--name`, print the JSON result; 0 even when the file is refused."""
    parser = argparse.ArgumentParser(prog="python -m tools.doctext.reader")
    parser.add_argument("--name", required=True)
    parser.add_argument("--max-pages", type=int, default=0)
    parser.add_argument("--max-chars", type=int, default=0)
    args = parser.parse_args(argv)
    data = sys.stdin.buffer.read()
    result: dict[str, object]
    try:
        sections = extract_sections(
            data, args.name, max_pages=args.max_pages or None, max_chars=args.max_chars or None
        )
    except DocumentTooLongError as exc:
        result = {"error": "document_too_long", "message": str(exc)}
    except DocumentFormatError as exc:
        result = {"error": "unreadable_document", "message": str(exc)}
    else:
        result = {"sections": [dataclasses.asdict(section) for section in sections]}
    sys.stdout.write(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
