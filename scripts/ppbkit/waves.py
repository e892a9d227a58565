"""The command that reruns a failing ppb-cosim case with waves, as every failure report prints it.

tlm and native: `--trace FILE.vcd` (the device and the client as the TLM model sees them). rtl: also
`--trace-rtl FILE.fst` (every RTL signal and the transaction-level ones in one file; `scripts/view-trace
FILE.fst` opens it in GTKWave with testbench/ppb-cosim-rtl.gtkw). A failure that involves several backends (they delivered different frames)
reruns each of them, one after the other, on one line.
"""
from __future__ import annotations

import re
import shlex
from collections.abc import Iterable

# Options a rerun must not repeat: the runner's own output options, replaced by the waves.
_OWN = {"--json": 1, "--trace": 1, "--trace-rtl": 1, "--quiet": 0, "-q": 0}


def stem(*parts: object) -> str:
    """A file name stem made of the parts (family, backend, seed...), safe in any shell and filesystem."""
    return "-".join(re.sub(r"[^A-Za-z0-9_.]+", "_", str(p)).strip("_") for p in parts if str(p) != "")


def _plain(args: Iterable[str]) -> list[str]:
    out, skip = [], 0
    for a in args:
        if skip:
            skip -= 1
        elif a in _OWN:
            skip = _OWN[a]
        else:
            out.append(a)
    return out


def _backend(args: list[str]) -> tuple[str, list[str]]:
    """(backend, args without --backend): the last --backend given wins, as in ppb-cosim."""
    backend, rest, i = "tlm", [], 0
    while i < len(args):
        if args[i] == "--backend" and i + 1 < len(args):
            backend = args[i + 1]
            i += 2
            continue
        rest.append(args[i])
        i += 1
    return backend, rest


def rerun_argv(cosim: str, args: Iterable[str], backend: str | None = None, name: str = "waves") -> list[str]:
    """ppb-cosim's argv that reruns `args` on `backend` (else the one in args, else tlm) with waves in
    NAME.vcd (and NAME.fst on rtl)."""
    b, rest = _backend(_plain(args))
    b = backend or b
    cmd = [cosim, "--backend", b, *rest]
    if b == "rtl":
        cmd += ["--trace-rtl", name + ".fst"]
    return cmd + ["--trace", name + ".vcd"]


def rerun(cosim: str, args: Iterable[str], backend: str | None = None, name: str = "waves") -> str:
    """rerun_argv as one shell line."""
    return shlex.join(rerun_argv(cosim, args, backend, name))


def rerun_backends(cosim: str, args: Iterable[str], backends: Iterable[str], name: str = "waves") -> str:
    """One shell line that reruns `args` on each backend in turn (whatever each one's exit status),
    each with waves in NAME-BACKEND.*."""
    args = list(args)
    return "; ".join(rerun(cosim, args, b, f"{name}-{b}") for b in backends)
