#!/usr/bin/env bash
# Usage: tools/slurm_launch.sh SCRIPT PARTITION JOB_NAME [SCRIPT args...]
# What tools/slurm_train.sh and tools/slurm_test.sh share: one srun task per
# GPU, each running tools/SCRIPT with `--launcher slurm` (rank and world size
# from SLURM; on CPU-only nodes the tasks talk over gloo, see
# spol_mm.utils.dist). From the environment: GPUS (tasks, default 8),
# GPUS_PER_NODE (8), CPUS_PER_TASK (5), SRUN_ARGS (extra srun options).
set -euo pipefail
SCRIPT=$1
PARTITION=$2
JOB_NAME=$3
GPUS=${GPUS:-8}
GPUS_PER_NODE=${GPUS_PER_NODE:-8}
CPUS_PER_TASK=${CPUS_PER_TASK:-5}
read -r -a EXTRA <<< "${SRUN_ARGS:-}"

export PYTHONPATH="$(dirname "$0")/..${PYTHONPATH:+:$PYTHONPATH}"
exec srun --partition="$PARTITION" --job-name="$JOB_NAME" \
    --gres=gpu:"$GPUS_PER_NODE" --ntasks="$GPUS" \
    --ntasks-per-node="$GPUS_PER_NODE" --cpus-per-task="$CPUS_PER_TASK" \
    --kill-on-bad-exit=1 ${EXTRA[@]+"${EXTRA[@]}"} \
    python -u "$(dirname "$0")/$SCRIPT" "${@:4}" --launcher slurm
