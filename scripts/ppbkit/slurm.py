"""A job list as a SLURM array script: task N runs lines (N-1)*K+1 .. N*K of the list, one after the
other, each line with bash and no standard input. ppb-sweep jobs and ppb-regress write their job
lists through it; the same list runs under GNU parallel.

The script assumes what a cluster gives: the job list and the results directory at the same path on
every node (a shared filesystem), and the environment of the submitting shell (sbatch's default,
--export=ALL). It says on stderr, and exits 1, when the node cannot read the list. Partition,
account, QOS and time limit are the cluster's: give them to sbatch (`sbatch -p short -A ppb
slurm.sh`), which takes its command line over the #SBATCH lines.
"""
from __future__ import annotations

import shlex

MAX_ARRAY = 1000  # SLURM's default MaxArraySize is 1001: task ids up to 1000

TEMPLATE = """#!/bin/bash
# {what}: a SLURM array, one task per {per} line(s) of {jobs_name}.
# Submit: sbatch [-p PARTITION] [-A ACCOUNT] {script}     (sbatch --wait ... blocks until every task ends)
# Then:   {then}
#SBATCH --job-name={name}
#SBATCH --array=1-{tasks}
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
#SBATCH --time={minutes}
#SBATCH --output={output}/slurm-%A_%a.out
set -uo pipefail
jobs={jobs}
if [[ -z ${{SLURM_ARRAY_TASK_ID:-}} ]]; then
  echo "$0: not an array task (no SLURM_ARRAY_TASK_ID); submit it with sbatch, or run one task with SLURM_ARRAY_TASK_ID=N $0" >&2
  exit 2
fi
if [[ ! -r $jobs ]]; then
  echo "$0: $(hostname) cannot read $jobs: put it on a filesystem every node shares" >&2
  exit 1
fi
per={per}
first=$(( (SLURM_ARRAY_TASK_ID - 1) * per + 1 ))
last=$(( first + per - 1 ))
echo "task $SLURM_ARRAY_TASK_ID on $(hostname): lines $first-$last of $jobs"
status=0
while IFS= read -r line; do
  bash -c "$line" </dev/null || status=1
done < <(sed -n "${{first}},${{last}}p" "$jobs")
exit $status
"""


def layout(lines: int, per: int = 1, max_tasks: int = MAX_ARRAY) -> tuple[int, int]:
    """(tasks, lines per task) for a job list: at least `per` lines per task, and no more tasks than
    SLURM's array limit allows."""
    per = max(1, per, -(-lines // max_tasks))
    return max(1, -(-lines // per)), per


def array_script(*, what: str, name: str, jobs: str, output: str, script: str, then: str, tasks: int,
                 per: int, minutes: int) -> str:
    """The array script's text. jobs and output are the paths the nodes see."""
    return TEMPLATE.format(what=what, name=name, jobs=shlex.quote(jobs), jobs_name=jobs.rsplit("/", 1)[-1],
                           output=output, script=script, then=then, tasks=tasks, per=per, minutes=minutes)
