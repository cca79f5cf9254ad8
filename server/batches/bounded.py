"""A batch's table read off the event loop, in a bounded child process (`server.batches.table_reader`).

An uploaded XLSX is a zip that openpyxl inflates and parses (up to 200 Mo unpacked), and a CSV is
sniffed and split by the standard library: a crafted file could keep a core busy or inflate memory,
which in the API process would block every request. So `read_table` runs in a child process started
through `tools.doctext.bounded.read_bounded` (its own process group, bounded memory and CPU, killed at
a timeout), inside one of the process's reading slots (`tools.doctext.bounded.reading_slot`). The
child hands back the table, or the refusal's code and catalogue text, so that every refusal is the
one `read_table` gives; a reader killed by a limit is 422 `table_too_complex`. Nothing else is read
or written by the child: no network, no database, no file.
"""

from __future__ import annotations

from typing import Any

from server.batches.reading import Column, Table, TableError, TableTooLargeError, read_table
from server.messages import MESSAGES
from tools.doctext.bounded import DocumentTooComplexError, ReadingLimits, read_bounded, reading_slot


async def read_table_bounded(
    filename: str, data: bytes, *, max_bytes: int, max_rows: int, limits: ReadingLimits
) -> Table:
    """`read_table` in a bounded child process, one reading slot held meanwhile.

    Raises:
        TableTooLargeError, TableError: as `read_table` does; 422 `table_too_complex` when the
            reader ran out of time or memory (or died any other way).
    """
    if len(data) > max_bytes:  # refused without starting a process
        return read_table(filename, data, max_bytes=max_bytes, max_rows=max_rows)
    arguments = [f"--name={filename}", f"--max-bytes={max_bytes}", f"--max-rows={max_rows}"]
    try:
        async with reading_slot():
            result = await read_bounded("server.batches.table_reader", arguments, data, limits)
    except DocumentTooComplexError as exc:
        raise _too_complex(filename) from exc
    return _parsed(result, filename)


def _too_complex(filename: str) -> TableError:
    return TableError(MESSAGES("batches.too_complex", name=filename), code="table_too_complex")


def _parsed(result: dict[str, Any], filename: str) -> Table:
    try:
        if "error" in result:
            refusal = result["error"]
            kind = TableTooLargeError if refusal["too_large"] else TableError
            error = kind(MESSAGES.revive(refusal["text"]), code=str(refusal["code"]))
        else:
            columns = [Column(str(name), str(key)) for name, key in result["columns"]]
            rows = [{str(key): str(value) for key, value in row.items()} for row in result["rows"]]
            return Table(columns, rows)
    except (KeyError, TypeError, ValueError, AttributeError):  # not what the child writes: crashed
        raise _too_complex(filename) from None
    raise error
