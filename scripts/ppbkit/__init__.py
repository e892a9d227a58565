"""ppbkit: running ppb-cosim from Python and reading what it says, for every script that does.

    cosim       where ppb-cosim is, its command lines, running one (timeout, output, a temporary
                JSON file) into a Result; whether a backend is built; the CAPACITY rule
    result      the Result of one run: its JSON, the kind of a failure, the frames it delivered,
                and whether runs on several backends delivered the same frames
    scenarios   the scenario families (one table): the soak's random draws, cosim-seeds' and
                cosim-compare-backends' fixed command lines
    regs        generated from the register description (not written by hand)

Users: scripts/soak, scripts/cosim-seeds, scripts/cosim-compare-backends, scripts/ppb-bench and
scripts/ppb-sweep (scripts/sweep/). Standard library only.
"""
