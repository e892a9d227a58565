"""ppb-sweep: architecture exploration over ppb-cosim. See docs/exploration.md."""
import argparse
import sys

from .commands import ALL, name
from .common import note
from .cosim import UsageError

EPILOG = """\
Parameters are ppb-cosim's long options without the dashes (link-rate, cost-per-byte, capacity,
buffer-size, burst, payload-min, payload-max, mode, drop-when-full, clock, backend, seed, ...), plus
`buffer` = capacity and buffer-size together. Any other ppb-cosim option on the command line is passed
to every point. Exit status: 0 done, 1 some points failed, 2 bad input, 130 interrupted.
"""


def parser():
    ap = argparse.ArgumentParser(prog="ppb-sweep", description=__doc__, epilog=EPILOG, allow_abbrev=False,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", metavar="COMMAND")
    for command in ALL:
        p = sub.add_parser(name(command), help=command.HELP, description=command.HELP, allow_abbrev=False,
                           epilog="Other --options are ppb-cosim's, passed to every point.")
        command.arguments(p)
    return ap


COMMANDS = {name(command): command.main for command in ALL}


def main(argv=None):
    ap = parser()
    argv = sys.argv[1:] if argv is None else argv
    try:
        args, extra = ap.parse_known_args(argv)
    except SystemExit as e:
        return 2 if e.code not in (0, None) else 0
    if not args.cmd:
        ap.print_help()
        return 2
    # The numbers every command shares, before anything runs.
    for option, least in (("workers", 1), ("per_task", 1), ("minutes_per_point", 1), ("seeds", 1),
                          ("resolution", 1)):
        v = getattr(args, option, None)
        if v is not None and v < least:
            note(f"ppb-sweep {args.cmd}: --{option.replace('_', '-')} {v}: must be at least {least}")
            return 2
    timeout = getattr(args, "timeout", None)
    if timeout is not None and not timeout > 0:
        note(f"ppb-sweep {args.cmd}: --timeout {timeout}: must be a positive number of seconds")
        return 2
    try:
        return COMMANDS[args.cmd](args, extra)
    except UsageError as e:
        note(f"ppb-sweep {args.cmd}: {e}")
        return 2
    except KeyboardInterrupt:
        note("ppb-sweep: interrupted")
        return 130
