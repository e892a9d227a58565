"""The Result of one ppb-cosim run and what it says: passed or not, what kind of failure, which frames
it delivered, and whether runs of the same command line on several backends delivered the same frames.
"""
from __future__ import annotations

import dataclasses
import json
import re

REFUSED = 2  # ppb-cosim's exit status for a command line it refuses (bad input)
DISAGREEMENT = "disagreement"  # the failure kind of backends that delivered different frames

# Words of ppb-cosim's errors that say where a failure comes from, most telling first; a failure that
# says none of them is the scoreboard's (counts that do not balance).
ERROR_KINDS = (
    ("data", ("not the sent stream", "payload byte", "matches no pending")),
    ("protocol", ("protocol violation",)),
    ("method", ("failed with status", "returned NULL", "failed (last status")),
)

# SystemC's banner and CLI11's closing hint are never the reason a run failed.
_BANNER = re.compile(r"^\s*(SystemC \d|Copyright \(c\)|ALL RIGHTS RESERVED|Run with --help)")


def failure_kind(code: int | None, data: dict | None, timed_out: bool = False) -> str:
    """What a failed run was; the first word says where to look: timeout, crash (signal N),
    no result (exit N), data, protocol, method or scoreboard."""
    if timed_out:
        return "timeout"
    if code is not None and code < 0:
        return f"crash (signal {-code})"
    if data is None:
        return f"no result (exit {code})"
    errors = " ".join(map(str, data.get("errors") or []))
    for kind, words in ERROR_KINDS:
        if any(w in errors for w in words):
            return kind
    return "scoreboard"


def first_error(text: str) -> str:
    """The first line of ppb-cosim's stderr that is not a banner: the reason it gives."""
    for line in text.splitlines():
        if line.strip() and not _BANNER.match(line):
            return line.strip()
    return ""


def load_json(path: str) -> tuple[dict | None, str]:
    """(document, '') from ppb-cosim's JSON file; (None, '') when it wrote none; (None, why) when the
    file cannot be read as a JSON object."""
    try:
        with open(path) as f:
            doc = json.load(f)
    except FileNotFoundError:
        return None, ""
    except (OSError, ValueError) as e:
        return None, str(e)
    if not isinstance(doc, dict):
        return None, "not a JSON object"
    return doc, ""


@dataclasses.dataclass
class Result:
    """One run of ppb-cosim.

    code is its exit status (negative: ended by that signal; a run that timed out was ended with
    SIGKILL; None: unknown, as for a job that left no status). data is its JSON document, None when
    it wrote none (json_error then says why, if it wrote an unreadable one). A run made without --json
    (expects_json False) passes on exit status 0 alone."""

    command: list[str]
    code: int | None
    stdout: str = ""
    stderr: str = ""
    data: dict | None = None
    timed_out: bool = False
    timeout: float | None = None
    json_error: str = ""
    expects_json: bool = True

    @property
    def ok(self) -> bool:
        if self.timed_out or self.code != 0:
            return False
        return not self.expects_json or (self.data is not None and bool(self.data.get("ok", False)))

    @property
    def refused(self) -> bool:
        """ppb-cosim refused the command line (bad input: exit status 2)."""
        return not self.timed_out and self.code == REFUSED

    @property
    def kind(self) -> str:
        """'' for a run that passed, else the kind of failure (failure_kind)."""
        return "" if self.ok else failure_kind(self.code, self.data, self.timed_out)

    @property
    def output(self) -> str:
        return (self.stdout + self.stderr).strip()

    @property
    def first_error(self) -> str:
        return first_error(self.stderr)

    @property
    def errors(self) -> list:
        return list((self.data or {}).get("errors") or [])

    @property
    def notes(self) -> list:
        """Explained findings that are no failure (a framing false accept, located and counted)."""
        return list((self.data or {}).get("notes") or [])

    @property
    def framing(self) -> dict | None:
        """crc, false_accepts, false_candidates_checked, expected_false_accepts; None if not reported."""
        return (self.data or {}).get("framing") or None

    @property
    def delivered(self) -> tuple[int, object] | None:
        """(frames delivered, digest of every delivered byte in order); None without a JSON document."""
        if self.data is None:
            return None
        f = self.data["frames"]
        return f["delivered"], f["delivered_digest"]

    @property
    def why(self) -> str:
        """One line on why the run failed: its errors, else how it ended, else its last line of output."""
        if self.errors:
            return "; ".join(map(str, self.errors))
        if self.timed_out:
            return f"timed out after {self.timeout:.0f} s"
        if self.json_error:
            return f"unreadable JSON: {self.json_error}"
        out = self.output
        return out.splitlines()[-1] if out else f"exit {self.code}"


def disagreement(results: dict[str, Result]) -> str:
    """'' when every run (by name, e.g. backend) delivered the same frames, same count and same digest;
    else a message naming what each delivered."""
    got = {name: r.delivered for name, r in results.items()}
    if len(set(got.values())) <= 1:
        return ""
    return "backends delivered different frames: " + ", ".join(
        f"{b} {d[0]} frames digest {d[1]}" if d else f"{b} no result" for b, d in got.items())
