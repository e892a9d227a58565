"""ppb-sweep jobs: the grid as a GNU parallel job list, a SLURM array script and a manifest, for
sweeps spread over many machines (ppb-sweep merge reads their results)."""
import json
import os
import shlex
import sys

from ..common import add_grid_options, build_grid, out, workers_default
from ..cosim import Cosim, point_args, point_id, point_key

HELP = "write the grid as a GNU parallel job list and a SLURM array script"

SLURM = """#!/bin/bash
# ppb-sweep: a SLURM array, one task per {per} line(s) of jobs.txt. Submit with: sbatch {script}
# then merge: ppb-sweep merge --out sweep.csv {results}
#SBATCH --job-name=ppb-sweep
#SBATCH --array=1-{tasks}
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
#SBATCH --time={minutes}
#SBATCH --output={results}/slurm-%A_%a.out
set -u
per={per}
first=$(( (SLURM_ARRAY_TASK_ID - 1) * per + 1 ))
last=$(( first + per - 1 ))
sed -n "${{first}},${{last}}p" {jobs} | while IFS= read -r line; do
  bash -c "$line"
done
"""


def arguments(j):
    add_grid_options(j)
    j.add_argument("--results", required=True, help="directory for jobs.txt, slurm.sh, manifest.json and the results")
    j.add_argument("--remote-cosim", help="ppb-cosim's path on the hosts that run the jobs (default: this one's)")
    j.add_argument("--remote-results", help="the results directory's path on those hosts (default: this one's)")
    j.add_argument("--per-task", type=int, default=1, help="points per SLURM array task (default 1)")


def result_paths(results, pid):
    return {k: os.path.join(results, pid + k) for k in (".json", ".err", ".rc")}


def main(args, extra):
    cosim = Cosim(args.cosim)
    g = build_grid(cosim, args, extra)
    points = g.points()
    results = os.path.abspath(args.results)
    os.makedirs(results, exist_ok=True)
    cosim_path = args.remote_cosim or cosim.path
    remote = args.remote_results or results
    manifest_path = os.path.join(results, "manifest.json")
    manifest = {}
    if os.path.exists(manifest_path):
        with open(manifest_path) as f:
            manifest = json.load(f)
    lines, skipped = [], 0
    for p in points:
        pid = point_id(p)
        manifest[pid] = {"params": p, "args": point_key(p)}
        done = result_paths(results, pid)[".json"]
        if os.path.exists(done):
            try:
                with open(done) as f:
                    if json.load(f).get("ok"):
                        skipped += 1
                        continue
            except (OSError, ValueError):
                pass
        r = f"{remote}/{pid}"
        lines.append(f"{shlex.join([cosim_path, *point_args(p)])} --quiet --json {shlex.quote(r + '.json')} "
                     f"2>{shlex.quote(r + '.err')}; echo $? >{shlex.quote(r + '.rc')}")
    jobs = os.path.join(results, "jobs.txt")
    with open(jobs, "w") as f:
        f.writelines(line + "\n" for line in lines)
    tmp = manifest_path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(manifest, f, indent=1)
    os.replace(tmp, manifest_path)
    per = max(1, args.per_task)
    tasks = max(1, -(-len(lines) // per))
    slurm = os.path.join(results, "slurm.sh")
    with open(slurm, "w") as f:
        f.write(SLURM.format(per=per, tasks=tasks, jobs=shlex.quote(os.path.join(remote, "jobs.txt")),
                             results=remote, script=slurm, minutes=max(5, per * 10)))
    os.chmod(slurm, 0o755)
    out(f"{len(lines)} job lines in {jobs} ({skipped} points already have a result); manifest {manifest_path}")
    out(f"  one machine:   parallel -j {workers_default()} < {jobs}")
    out(f"  many machines: parallel --sshlogin host1,host2 < {jobs}   (same paths on every host, {remote} shared)")
    out(f"  SLURM:         sbatch {slurm}   ({tasks} array tasks of {per} point{'s' if per > 1 else ''})")
    out(f"  then:          {sys.argv[0]} merge --out sweep.csv {results}")
    return 0
