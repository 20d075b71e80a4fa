#!/usr/bin/env bash
# The whole SPOL pipeline on CPU with the ImageNet-pretrained EfficientNet-
# Lite0 configs (configs/spol/*_lite0_*.py), on the generated benchmark or on
# any CUB-200-2011-layout folder:
#   1. the data: DATA when given (read only, nothing is written into it),
#      else the generated benchmark (made once),
#   2. train the plain CAM baseline and MFF-Net1 (which writes GPPL labels
#      for its training images), on `train` (the training split without the
#      held-out `val` images),
#   3. train MFF-Net2 on the pseudo labels and the separate classifier,
#   4. evaluate CAM, MFF-Net1 and SPOL on `test` with tools/test.py (paper
#      and protocol frames),
#   5. draw a picture grid and print one table.
# Each step is skipped when its result exists, so an interrupted demo resumes.
# Environment knobs: DATA (a CUB-layout folder; masks in segmentations/
# optional), WORK (default: work_dirs/spol_demo for the generated data,
# work_dirs/spol_demo_<folder name>_<hash> for DATA), TRAIN, TEST, SIZE
# (generated data only), EPOCHS1, EPOCHS2, BATCH, WORKERS.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY="${PYTHON:-python3}"

step() { printf '\n==== %s ====\n' "$*"; }

if [ -n "${DATA:-}" ]; then
  # A user's folder: the CUB configs, the classes its classes.txt lists.
  [ -f "$DATA/classes.txt" ] || {
    echo "spol_demo: $DATA/classes.txt not found: DATA must be a folder in the CUB-200-2011 layout" >&2
    exit 2; }
  DATA="$(cd "$DATA" && pwd -P)"
  SET=cub
  CLASSES="$(grep -c '[^[:space:]]' "$DATA/classes.txt")"
  WORK="${WORK:-work_dirs/spol_demo_$(basename "$DATA")_$(printf '%s' "$DATA" | sha1sum | cut -c1-8)}"
else
  DATA="data/synthetic_wsol_256"
  SET=synthetic
  CLASSES=8
  WORK="${WORK:-work_dirs/spol_demo}"
  step "dataset: $DATA"
  "$PY" tools/dataset_converters/make_synthetic_wsol.py --out "$DATA" --classes "$CLASSES" \
    --train "${TRAIN:-400}" --test "${TEST:-160}" --size "${SIZE:-256}" --seed 0
  DATA="$(cd "$DATA" && pwd -P)"
fi
E1="${EPOCHS1:-8}"
E2="${EPOCHS2:-8}"

# A work folder belongs to one data folder: never reuse it for another.
mkdir -p "$WORK"
if [ -f "$WORK/demo_data.txt" ]; then
  if [ "$(cat "$WORK/demo_data.txt")" != "$DATA" ]; then
    echo "spol_demo: $WORK was made for DATA=$(cat "$WORK/demo_data.txt"), not $DATA; choose another WORK" >&2
    exit 2
  fi
else
  printf '%s' "$DATA" > "$WORK/demo_data.txt"
fi
echo "data: $DATA ($CLASSES classes), work: $WORK"

# Training reads DATA's `train` split (without the held-out `val` images);
# validation is left to the configs' own runs (the demo passes --no-validate).
LOADER=("train_dataloader.dataset.data_root=$DATA"
        "train_dataloader.num_workers=${WORKERS:-2}")
[ "${WORKERS:-2}" = 0 ] && LOADER+=("train_dataloader.persistent_workers=False")
# configs/spol/<model>_lite0_<schedule>_<set>[_protocol].py; the localiser
# only evaluates, so its name carries no schedule.
cfg() {
  local schedule=8e_
  [ "$1" = spol ] && schedule=
  echo "configs/spol/$1_lite0_$schedule$SET$2.py"
}
LABELS="$WORK/mffnet1/pseudo_labels"
STAGE1="$WORK/mffnet1/epoch_$E1.pth"
STAGE2="$WORK/mffnet2/epoch_$E2.pth"
CLS="$WORK/cls/epoch_$E1.pth"

train() {  # row, epochs, extra --cfg-options...
  local row=$1 epochs=$2
  shift 2
  # Done when the last *completed* checkpoint is the final one (mmengine
  # names it in last_checkpoint only after writing it in full).
  grep -qs "epoch_$epochs.pth\$" "$WORK/$row/last_checkpoint" && return
  step "training $row ($epochs epochs)"
  local resume=()
  ls "$WORK/$row"/epoch_*.pth >/dev/null 2>&1 && resume=(--resume)
  "$PY" tools/train.py "$(cfg "$row" '')" --work-dir "$WORK/$row" \
    "${resume[@]}" --no-validate --cfg-options "train_cfg.max_epochs=$epochs" \
    "train_dataloader.batch_size=${BATCH:-32}" "${LOADER[@]}" "$@"
}

train cam "$E1" "model.head.num_classes=$CLASSES"
train mffnet1 "$E1" "model.head.num_classes=$CLASSES"
# The hook writes the labels after training; finish them if that was cut.
if ! "$PY" -c "import json,sys; sys.exit(not json.load(open('$LABELS/gppl_meta.json')).get('complete'))" 2>/dev/null; then
  step "pseudo labels"
  "$PY" tools/generate_pseudo_labels.py "$(cfg mffnet1 '')" "$STAGE1" \
    --out "$LABELS" --cfg-options "model.head.num_classes=$CLASSES" "${LOADER[@]}"
fi
train mffnet2 "$E2" "train_dataloader.dataset.seg_map_root=$LABELS"
train cls "$E1" "model.head.num_classes=$CLASSES"

# Top-5 accuracy needs at least 5 classes.
TOPK=()
[ "$CLASSES" -lt 5 ] && TOPK=("test_evaluator.0.topk=1")
evaluate() {  # row name, config, extra --cfg-options...
  local row=$1 cfg=$2
  shift 2
  [ -f "$WORK/results/$row.json" ] && return
  step "evaluating $row"
  mkdir -p "$WORK/results"
  "$PY" tools/test.py "$cfg" --work-dir "$WORK/results/$row" \
    --out "$WORK/results/$row.json" --cfg-options \
    "test_dataloader.dataset.data_root=$DATA" \
    "test_dataloader.num_workers=${WORKERS:-2}" \
    "test_dataloader.persistent_workers=False" "${TOPK[@]}" "$@"
}

# Each row twice: the paper's frame (centre crop, fixed threshold 0.2) and
# the WSOL protocol's (whole image, best threshold: MaxBoxAcc / V2).
for frame in "" _protocol; do
  evaluate "cam$frame" "$(cfg cam "$frame")" "model.head.num_classes=$CLASSES" \
    "load_from=$WORK/cam/epoch_$E1.pth"
  evaluate "mffnet1$frame" "$(cfg mffnet1 "$frame")" \
    "model.head.num_classes=$CLASSES" "load_from=$STAGE1"
  evaluate "spol$frame" "$(cfg spol "$frame")" \
    "model.classifier.head.num_classes=$CLASSES" \
    "model.segmentor_checkpoint=$STAGE2" "model.classifier_checkpoint=$CLS"
done

PICTURES="$WORK/results/pictures.png"
if [ ! -f "$PICTURES" ]; then
  step "pictures: $PICTURES"
  "$PY" tools/analysis_tools/spol_pictures.py --data "$DATA" --out "$PICTURES" \
    --num-classes "$CLASSES" --input-size 224 --gppl-size 256 --tile 256 --scale 1 \
    --cam "$(cfg cam '')" "$WORK/cam/epoch_$E1.pth" \
    --stage1 "$(cfg mffnet1 '')" "$STAGE1" \
    --stage2 "$(cfg mffnet2 '')" "$STAGE2"
fi

step "results (test split of $DATA)"
R="$WORK/results"
"$PY" tools/spol_table.py "$R/cam.json,$R/cam_protocol.json" \
  "$R/mffnet1.json,$R/mffnet1_protocol.json" "$R/spol.json,$R/spol_protocol.json" \
  --names "CAM baseline (Fuse1, no MCA, no aux)" "MFF-Net1 CAM" \
  "SPOL (MFF-Net2 mask + Lite0 classifier)" --out "$R/table.md"
echo "pictures: $PICTURES"
