"""ppbkit: running ppb-cosim from Python and reading what it says, for every script that does.

    cosim       where ppb-cosim is, its command lines, running one (timeout, output, a temporary
                JSON file) into a Result; whether a backend is built; the CAPACITY rule
    result      the Result of one run: its JSON, the kind of a failure, the frames it delivered,
                and whether runs on several backends delivered the same frames
    scenarios   the scenario families (one table): the soak's random draws, cosim-seeds' and
                cosim-compare-backends' fixed command lines
    regs        generated from the register description (not written by hand)
    waves       the command that reruns a failing case with waves (--trace, --trace-rtl)
    junit       JUnit XML: write, read, merge; ctest's file completed with the failing command lines
    report      what a regression reports: failures with their reruns, JUnit, a JSON summary,
                regression lines
    slurm       a job list as a SLURM array script (ppb-sweep jobs, ppb-regress)
    regress     a seed regression or a soak as array tasks, and the merge of their results
    compare     sweep CSVs and JUnit files compared (the engine checks)

Users: scripts/soak, scripts/cosim-seeds, scripts/cosim-compare-backends, scripts/ppb-bench,
scripts/ppb-sweep (scripts/sweep/), scripts/ppb-regress, scripts/ci, scripts/parallel-check and
scripts/slurm-check. Standard library only.
"""
