"""ppb-sweep jobs: the grid as a GNU parallel job list, a SLURM array script and a manifest, for
sweeps spread over many machines (ppb-sweep merge reads their results)."""
import json
import os
import shlex
import sys

from ppbkit import slurm

from ..common import add_grid_options, build_grid, out, workers_default
from ..cosim import Cosim, point_args, point_id, point_key

HELP = "write the grid as a GNU parallel job list and a SLURM array script"


def arguments(j):
    add_grid_options(j)
    j.add_argument("--results", required=True, help="directory for jobs.txt, slurm.sh, manifest.json and the results")
    j.add_argument("--remote-cosim", help="ppb-cosim's path on the hosts that run the jobs (default: this one's)")
    j.add_argument("--remote-results", help="the results directory's path on those hosts (default: this one's)")
    j.add_argument("--per-task", type=int, default=1,
                   help="points per SLURM array task (default 1; more when the grid exceeds "
                        f"{slurm.MAX_ARRAY} tasks, SLURM's usual array limit)")
    j.add_argument("--minutes-per-point", type=int, default=10,
                   help="the SLURM time limit of a task, per point it runs (10)")


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
    tasks, per = slurm.layout(len(lines), args.per_task)
    script = os.path.join(results, "slurm.sh")
    with open(script, "w") as f:
        f.write(slurm.array_script(what="ppb-sweep", name="ppb-sweep", jobs=os.path.join(remote, "jobs.txt"),
                                   output=remote, script=script, tasks=tasks, per=per,
                                   minutes=max(5, per * args.minutes_per_point),
                                   then=f"ppb-sweep merge --out sweep.csv {shlex.quote(results)}"))
    os.chmod(script, 0o755)
    out(f"{len(lines)} job lines in {jobs} ({skipped} points already have a result); manifest {manifest_path}")
    out(f"  one machine:   parallel -j {workers_default()} < {jobs}")
    out(f"  many machines: parallel --sshlogin host1,host2 < {jobs}   (same paths on every host, {remote} shared)")
    out(f"  SLURM:         sbatch {script}   ({tasks} array tasks of {per} point{'s' if per > 1 else ''})")
    out(f"  then:          {sys.argv[0]} merge --out sweep.csv {results}")
    return 0
