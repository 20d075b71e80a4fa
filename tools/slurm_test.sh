#!/usr/bin/env bash
# Usage: tools/slurm_test.sh PARTITION JOB_NAME CONFIG CHECKPOINT [test.py args...]
# e.g. GPUS=8 tools/slurm_test.sh gpu spol configs/spol/spol_r50_cub.py ckpt.pth --out-maps maps
exec "$(dirname "$0")/slurm_launch.sh" test.py "$1" "$2" "$3" "$4" "${@:5}"
