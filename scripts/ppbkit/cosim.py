"""ppb-cosim from Python: where it is, its command lines, and running one into a Result (with a
timeout, its output captured and its JSON read from a temporary file that is removed afterwards).
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

from .result import Result, load_json

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT = ROOT / "build" / "default" / "testbench" / "ppb-cosim"
BUILD = "cmake --preset default && cmake --build --preset default"


def default_path() -> str:
    """$PPB_COSIM, else the default build's ppb-cosim."""
    return os.environ.get("PPB_COSIM") or str(DEFAULT)


def find(path: str) -> str | None:
    """The absolute path of an executable ppb-cosim at `path` (a bare name is looked up in $PATH)."""
    resolved = shutil.which(path) if os.sep not in path else (path if os.path.isfile(path) else None)
    if not resolved or not os.access(resolved, os.X_OK):
        return None
    return os.path.abspath(resolved)


def arguments(options: Mapping[str, object] | Iterable[tuple[str, object]]) -> list[str]:
    """ppb-cosim arguments from options in order: name -> value (`--name value`), True (`--name`) or
    False (left out)."""
    args: list[str] = []
    for name, v in (options.items() if isinstance(options, Mapping) else options):
        if v is True:
            args.append("--" + name)
        elif v is not False:
            args += ["--" + name, str(v)]
    return args


def command(cosim: str, args: Iterable[str] = (), *, backend: str | None = None, json_path: str | None = None,
            quiet: bool = True) -> list[str]:
    """[cosim, --backend B, --quiet, --json PATH, *args], each part only when asked for."""
    cmd = [cosim]
    if backend:
        cmd += ["--backend", backend]
    if quiet:
        cmd.append("--quiet")
    if json_path:
        cmd += ["--json", json_path]
    return cmd + list(args)


class Children:
    """The ppb-cosim processes running now, so that whoever is interrupted can end them (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._procs: set[subprocess.Popen] = set()

    def add(self, p: subprocess.Popen) -> None:
        with self._lock:
            self._procs.add(p)

    def discard(self, p: subprocess.Popen) -> None:
        with self._lock:
            self._procs.discard(p)

    def signal_all(self, sig: int = signal.SIGTERM) -> None:
        with self._lock:
            procs = list(self._procs)
        for p in procs:
            try:
                os.killpg(p.pid, sig)
            except OSError:
                pass


def _kill(p: subprocess.Popen, own_group: bool) -> None:
    try:
        if own_group:
            os.killpg(p.pid, signal.SIGKILL)
        else:
            p.kill()
    except OSError:
        pass


def run(cosim: str, args: Iterable[str] = (), *, backend: str | None = None, timeout: float | None = None,
        json: bool = True, quiet: bool = True, merge_output: bool = False, new_session: bool = False,
        children: Children | None = None) -> Result:
    """Runs ppb-cosim once and returns its Result.

    json: pass --json with a temporary file and read it into Result.data. quiet: pass --quiet.
    merge_output: stderr goes into stdout, interleaved as a terminal shows them. timeout: seconds before
    the run is killed (Result.timed_out). new_session: the run gets a process group of its own, so that
    a terminal's Ctrl-C reaches only the caller (which then ends its children); children: where the
    running process is registered meanwhile. Raises OSError when ppb-cosim cannot be started; any
    exception while it runs (KeyboardInterrupt) kills it first."""
    with tempfile.TemporaryDirectory(prefix="ppbkit-") as tmp:
        path = os.path.join(tmp, "result.json") if json else None
        cmd = command(cosim, args, backend=backend, json_path=path, quiet=quiet)
        stderr = subprocess.STDOUT if merge_output else subprocess.PIPE
        with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=stderr, text=True, errors="replace",
                              start_new_session=new_session) as p:
            if children is not None:
                children.add(p)
            timed_out = False
            try:
                out, err = p.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                _kill(p, new_session)
                out, err = p.communicate()
                timed_out = True
            except BaseException:
                _kill(p, new_session)
                p.wait()  # Popen's exit does not, after an interrupt
                raise
            finally:
                if children is not None:
                    children.discard(p)
        data, json_error = load_json(path) if path else (None, "")
        return Result(cmd, p.returncode, out or "", err or "", data, timed_out, timeout, json_error, expects_json=json)


def backend_refusal(cosim: str, backend: str, timeout: float = 300) -> str | None:
    """ppb-cosim's reason when it refuses a backend it was built without (rtl without Verilator: exit
    status 2), else None."""
    r = run(cosim, ["--packets", "1"], backend=backend, timeout=timeout)
    return (r.first_error or "refused") if r.refused else None


# ---- the CAPACITY rule ---------------------------------------------------------------------------

def capacity_error(capacity: int) -> str:
    """'' when ppb-cosim takes this CAPACITY (bytes per bank), else why not: the register
    description's rule (ppbkit/regs.py, generated from regmap/ppb.toml)."""
    from .regs import capacity_error as rule
    return rule(capacity)
