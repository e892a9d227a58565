"""ppb-sweep's subcommands, one module each, in the order `ppb-sweep --help` lists them. Each has HELP
(its one-line summary), arguments(parser) (its options) and main(args, extra) -> exit status, where
extra are the ppb-cosim options left on the command line."""
from . import crosscheck, jobs, merge, plot, run, size

ALL = [run, plot, size, jobs, merge, crosscheck]


def name(command):
    return command.__name__.rsplit(".", 1)[1]
