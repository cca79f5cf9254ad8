"""Read one untrusted CSV or XLSX in a subprocess of its own: `python -m server.batches.table_reader`.

The file's bytes come on standard input; one JSON object goes to standard output: the table's columns
and rows, or the refusal `read_table` made (its code and catalogue text). The parent
(`server.batches.bounded`) bounds this process's memory, CPU time and file sizes and kills it at a
timeout; nothing here touches the network, the database or any file.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from server.batches.reading import TableError, TableTooLargeError, read_table


def main(argv: list[str] | None = None) -> int:
    """Read stdin as the table `--name`, print the JSON result; 0 even when the table is refused."""
    parser = argparse.ArgumentParser(prog="python -m server.batches.table_reader")
    parser.add_argument("--name", required=True)
    parser.add_argument("--max-bytes", type=int, required=True)
    parser.add_argument("--max-rows", type=int, required=True)
    args = parser.parse_args(argv)
    data = sys.stdin.buffer.read()
    result: dict[str, Any]
    try:
        table = read_table(args.name, data, max_bytes=args.max_bytes, max_rows=args.max_rows)
    except TableError as exc:
        if exc.text is None:  # every refusal of `read_table` is a catalogue text
            raise
        too_large = isinstance(exc, TableTooLargeError)
        result = {"error": {"too_large": too_large, "code": exc.code, "text": exc.text.stored()}}
    else:
        result = {"columns": [[c.name, c.key] for c in table.columns], "rows": table.rows}
    sys.stdout.write(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
