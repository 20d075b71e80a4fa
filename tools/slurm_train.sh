#!/usr/bin/env bash
# Usage: tools/slurm_train.sh PARTITION JOB_NAME CONFIG WORK_DIR [train.py args...]
# e.g. GPUS=8 tools/slurm_train.sh gpu spol configs/spol/mffnet1_r50_32e_cub.py work_dirs/mffnet1
exec "$(dirname "$0")/slurm_launch.sh" train.py "$1" "$2" "$3" \
    --work-dir "$4" "${@:5}"
