#!/usr/bin/env bash
# Usage: tools/dist_launch.sh SCRIPT GPUS [SCRIPT args...]
# What tools/dist_train.sh and tools/dist_test.sh share: torchrun with one
# process per GPU (NNODES, NODE_RANK, PORT, MASTER_ADDR from the
# environment). On CPU-only machines the processes talk over gloo (see
# spol_mm.utils.dist).
SCRIPT=$1
GPUS=$2
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-"127.0.0.1"}

PYTHONPATH="$(dirname "$0")/..":$PYTHONPATH \
exec python -m torch.distributed.run \
    --nnodes=$NNODES \
    --node_rank=$NODE_RANK \
    --master_addr=$MASTER_ADDR \
    --nproc_per_node=$GPUS \
    --master_port=$PORT \
    "$(dirname "$0")/$SCRIPT" \
    "${@:3}" --launcher pytorch
