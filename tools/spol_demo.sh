#!/usr/bin/env bash
# The whole SPOL pipeline on the generated WSOL benchmark, on CPU:
#   1. generate the dataset (once),
#   2. train the plain CAM baseline and MFF-Net1 (which writes GPPL labels),
#   3. train MFF-Net2 on the pseudo labels,
#   4. evaluate all three with tools/test.py (paper and protocol frames),
#   5. draw a picture grid and print one table.
# Each step is skipped when its result exists, so an interrupted demo resumes.
# Environment knobs (defaults = the README's run): DATA, WORK, TRAIN, TEST,
# EPOCHS1, EPOCHS2, BATCH, WORKERS.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY="${PYTHON:-python3}"
DATA="${DATA:-data/synthetic_wsol}"
WORK="${WORK:-work_dirs/spol_demo}"
E1="${EPOCHS1:-16}"
E2="${EPOCHS2:-12}"
TRAIN_LOADER=("train_dataloader.batch_size=${BATCH:-32}"
              "train_dataloader.num_workers=${WORKERS:-2}")
TEST_LOADER=("test_dataloader.num_workers=${WORKERS:-2}")
if [ "${WORKERS:-2}" = 0 ]; then
  TRAIN_LOADER+=("train_dataloader.persistent_workers=False")
  TEST_LOADER+=("test_dataloader.persistent_workers=False")
fi
LABELS="$WORK/mffnet1_r18_synthetic/pseudo_labels"
STAGE1="$WORK/mffnet1_r18_synthetic/epoch_$E1.pth"
STAGE2="$WORK/mffnet2_r18_synthetic/epoch_$E2.pth"
mkdir -p "$WORK"

step() { printf '\n==== %s ====\n' "$*"; }

step "dataset: $DATA"
"$PY" tools/make_synthetic_wsol.py --out "$DATA" --classes 8 \
  --train "${TRAIN:-400}" --test "${TEST:-160}" --size 128 --seed 0

train() {  # config name, epochs, extra --cfg-options...
  local name=$1 epochs=$2
  shift 2
  # Done when the last *completed* checkpoint is the final one (mmengine
  # names it in last_checkpoint only after writing it in full).
  grep -qs "epoch_$epochs.pth\$" "$WORK/$name/last_checkpoint" && return
  step "training $name ($epochs epochs)"
  local resume=()
  ls "$WORK/$name"/epoch_*.pth >/dev/null 2>&1 && resume=(--resume)
  "$PY" tools/train.py "configs/spol/$name.py" --work-dir "$WORK/$name" \
    "${resume[@]}" --no-validate --cfg-options \
    "train_dataloader.dataset.data_root=$DATA" "train_cfg.max_epochs=$epochs" \
    "${TRAIN_LOADER[@]}" "$@"
}

train cam_r18_synthetic "$E1"
train mffnet1_r18_synthetic "$E1"
# The hook writes the labels after training; finish them if that was cut.
if ! "$PY" -c "import json,sys; sys.exit(not json.load(open('$LABELS/gppl_meta.json')).get('complete'))" 2>/dev/null; then
  step "pseudo labels"
  "$PY" tools/generate_pseudo_labels.py configs/spol/mffnet1_r18_synthetic.py \
    "$STAGE1" --out "$LABELS" --cfg-options \
    "train_dataloader.dataset.data_root=$DATA"
fi
train mffnet2_r18_synthetic "$E2" "train_dataloader.dataset.seg_map_root=$LABELS"

evaluate() {  # row name, config, extra --cfg-options...
  local row=$1 cfg=$2
  shift 2
  [ -f "$WORK/results/$row.json" ] && return
  step "evaluating $row"
  mkdir -p "$WORK/results"
  "$PY" tools/test.py "configs/spol/$cfg.py" --work-dir "$WORK/results/$row" \
    --out "$WORK/results/$row.json" --cfg-options \
    "test_dataloader.dataset.data_root=$DATA" "${TEST_LOADER[@]}" "$@"
}

# Each row twice: the paper's frame (centre crop, fixed threshold 0.2) and
# the WSOL protocol's (whole image, best threshold: MaxBoxAcc / V2).
for frame in "" _protocol; do
  evaluate "cam$frame" "cam_r18_synthetic$frame" \
    "load_from=$WORK/cam_r18_synthetic/epoch_$E1.pth"
  evaluate "mffnet1$frame" "mffnet1_r18_synthetic$frame" "load_from=$STAGE1"
  evaluate "spol$frame" "spol_r18_synthetic$frame" \
    "model.segmentor_checkpoint=$STAGE2" "model.classifier_checkpoint=$STAGE1"
done

PICTURES="$WORK/results/pictures.png"
if [ ! -f "$PICTURES" ]; then
  step "pictures: $PICTURES"
  "$PY" tools/analysis_tools/spol_pictures.py --data "$DATA" --out "$PICTURES" \
    --cam configs/spol/cam_r18_synthetic.py "$WORK/cam_r18_synthetic/epoch_$E1.pth" \
    --stage1 configs/spol/mffnet1_r18_synthetic.py "$STAGE1" \
    --stage2 configs/spol/mffnet2_r18_synthetic.py "$STAGE2"
fi

step "results (test split of $DATA)"
R="$WORK/results"
"$PY" tools/spol_table.py "$R/cam.json,$R/cam_protocol.json" \
  "$R/mffnet1.json,$R/mffnet1_protocol.json" "$R/spol.json,$R/spol_protocol.json" \
  --names "CAM baseline (Fuse1, no MCA, no aux)" "MFF-Net1 CAM" \
  "SPOL (MFF-Net2 mask + MFF-Net1 classes)" --out "$R/table.md"
echo "pictures: $PICTURES"
