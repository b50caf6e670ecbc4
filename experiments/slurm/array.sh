#!/usr/bin/env bash
# experiments/slurm/array.sh: one task of a Slurm job array that runs an
# experiment matrix: task i runs line i+1 of LIST ("KEY<tab>LINE", an
# `experiments/run --list` line) with `experiments/run --only`, into the
# part OUT.parts/KEY.csv. experiments/slurm/submit writes the lists and
# submits one array per (CPUS, MEM) of the lines, sized for them:
#   sbatch --array=0-(N-1) --cpus-per-task=C --mem=M --time=T \
#     array.sh ROOT LIST OUT [--timeout S] [--allow-dirty] [--allow-mixed]
# The #SBATCH lines below are defaults for a line with cpus=1 mem=128M;
# submit's options override them. With DRY_RUN=1 (and SLURM_ARRAY_TASK_ID
# set) the task prints "task i: LINE" instead of running it.
#SBATCH --job-name=xv6cow-exp
#SBATCH --cpus-per-task=1
#SBATCH --mem=384M
#SBATCH --time=00:15:00
set -u
if [ $# -lt 3 ]; then
  echo "usage: array.sh ROOT LIST OUT [runner options] (see experiments/slurm/submit)" >&2
  exit 2
fi
root=$1 list=$2 out=$3
shift 3
task=${SLURM_ARRAY_TASK_ID:?array.sh: not run as a Slurm array task}
entry=$(sed -n "$((task + 1))p" "$list")
if [ -z "$entry" ]; then
  echo "array.sh: task $task: $list has no line $((task + 1))" >&2
  exit 2
fi
key=${entry%%$'\t'*}
line=${entry#*$'\t'}
if [ -n "${DRY_RUN:-}" ]; then
  echo "task $task: $line"
  exit 0
fi
exec "$root/experiments/run" --only "$line" -o "$out.parts/$key.csv" \
  --logs "$out.logs" "$@"
