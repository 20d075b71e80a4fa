#!/usr/bin/env bash
# The whole SPOL pipeline on CPU with the ImageNet-pretrained EfficientNet-
# Lite0 configs (configs/spol/*_lite0_*.py), on the generated CUB-like
# benchmark or on any CUB-200-2011-layout folder, with its calibration rows:
#   1. the data: DATA when given (read only, nothing is written into it),
#      else the CUB-like benchmark (made once; its properties are printed),
#   2. per seed: train the plain CAM baseline and MFF-Net1 (which writes GPPL
#      labels for its training images) on `train` (the training split
#      without the held-out `val` images); score the labels of every GPPL
#      setting against the GT masks (when DATA has masks); MFF-Net2 on the
#      pseudo labels; the upper bound, MFF-Net2 on the GT masks,
#   3. evaluate the trivial box, CAM, MFF-Net1, SPOL and the upper bound on
#      `val` and `test` in the paper's frame (every box threshold) and on
#      `test` in the protocol's frame (tools/test.py command lines, run in
#      one process by tools/analysis_tools/test_many.py),
#   4. print ONE table: the paper-frame columns at the box threshold chosen
#      on `val`, the protocol's columns on `test`; mean ± std over SEEDS;
#      and a picture grid (first seed).
# Each step is skipped when its result exists (the pseudo-label step resumes
# its folder), so an interrupted demo resumes.
# Environment knobs: DATA (a CUB-layout folder; masks in segmentations/
# optional), WORK (default: work_dirs/spol_demo_cub_like for the generated data,
# work_dirs/spol_demo_<folder name>_<hash> for DATA), SEEDS (default "0"),
# TRAIN, TEST, SIZE, CLASSES (generated data only), EPOCHS_CAM, EPOCHS1,
# EPOCHS2, BATCH, WORKERS.
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
  CLASSES="${CLASSES:-12}"
  DATA="data/cub_like_wsol"
  SET=synthetic
  WORK="${WORK:-work_dirs/spol_demo_cub_like}"
  step "dataset: $DATA"
  "$PY" tools/dataset_converters/make_synthetic_wsol.py --benchmark cub_like \
    --out "$DATA" --classes "$CLASSES" --train "${TRAIN:-360}" \
    --test "${TEST:-240}" --size "${SIZE:-256}" --seed 0
  DATA="$(cd "$DATA" && pwd -P)"
fi
# Epochs: each row to its training-loss plateau within about 20 minutes
# (configs/spol/README.md, "Results").
E_CAM="${EPOCHS_CAM:-8}"
E1="${EPOCHS1:-8}"
E2="${EPOCHS2:-4}"
SEEDS="${SEEDS:-0}"
# The upper bound needs GT masks (CUB: segmentations/).
UPPER=0
[ -d "$DATA/segmentations" ] && UPPER=1

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
echo "data: $DATA ($CLASSES classes), work: $WORK, seeds: $SEEDS"

# Training reads DATA's `train` split (without the held-out `val` images);
# validation is left to the configs' own runs (the demo passes --no-validate).
LOADER=("train_dataloader.dataset.data_root=$DATA"
        "train_dataloader.num_workers=${WORKERS:-2}")
[ "${WORKERS:-2}" = 0 ] && LOADER+=("train_dataloader.persistent_workers=False")
# configs/spol/<model>_lite0_<schedule>_<set>[_protocol].py; evaluation-only
# configs carry no schedule.
cfg() {
  case "$1" in
    spol) echo "configs/spol/spol_lite0_$SET$2.py" ;;
    trivial_box) echo "configs/spol/trivial_box_$SET$2.py" ;;
    *) echo "configs/spol/$1_lite0_8e_$SET$2.py" ;;
  esac
}
# Top-5 accuracy needs at least 5 classes.
TOPK=()
[ "$CLASSES" -lt 5 ] && TOPK=("test_evaluator.0.topk=1")

for SEED in $SEEDS; do
S="$WORK/seed_$SEED"
LABELS="$S/mffnet1/pseudo_labels"
GT_LABELS="$S/gt_labels"
CAM="$S/cam/epoch_$E_CAM.pth"
STAGE1="$S/mffnet1/epoch_$E1.pth"
STAGE2="$S/mffnet2/epoch_$E2.pth"
UPPER2="$S/upper/epoch_$E2.pth"

train() {  # row, config, epochs, extra --cfg-options...
  local row=$1 config=$2 epochs=$3
  shift 3
  # Done when the last *completed* checkpoint is the final one (mmengine
  # names it in last_checkpoint only after writing it in full).
  grep -qs "epoch_$epochs.pth\$" "$S/$row/last_checkpoint" && return
  step "seed $SEED: training $row ($epochs epochs)"
  local resume=()
  ls "$S/$row"/epoch_*.pth >/dev/null 2>&1 && resume=(--resume)
  "$PY" tools/train.py "$config" --work-dir "$S/$row" \
    "${resume[@]}" --no-validate --cfg-options "train_cfg.max_epochs=$epochs" \
    "param_scheduler.0.end=$epochs" \
    "randomness.seed=$SEED" "train_dataloader.batch_size=${BATCH:-32}" \
    "${LOADER[@]}" "$@"
}

train cam "$(cfg cam '')" "$E_CAM" "model.head.num_classes=$CLASSES"
train mffnet1 "$(cfg mffnet1 '')" "$E1" "model.head.num_classes=$CLASSES"
# The hook writes the labels after training; this finishes them if that was
# cut, and refuses labels made with other GPPL settings than the config's
# (e.g. by an earlier version): each existing label file is kept.
step "seed $SEED: pseudo labels"
"$PY" tools/generate_pseudo_labels.py "$(cfg mffnet1 '')" "$STAGE1" \
  --out "$LABELS" --cfg-options "model.head.num_classes=$CLASSES" "${LOADER[@]}" || {
  echo "spol_demo: the pseudo labels of seed $SEED could not be made or resumed (see above); if they were made with other GPPL settings, delete $LABELS, $S/mffnet2 and $S/results, then rerun" >&2
  exit 2; }
if [ "$UPPER" = 1 ] && [ ! -f "$S/results/label_quality.md" ]; then
  # How good the labels are, for the config's GPPL setting and the others
  # (tools/analysis_tools/label_quality.py: one pass of MFF-Net1).
  step "seed $SEED: pseudo-label quality against the GT masks"
  "$PY" tools/analysis_tools/label_quality.py "$(cfg mffnet1 '')" "$STAGE1" \
    --out "$S/results/label_quality.md" --work-dir "$S/results/label_quality" \
    --cfg-options "model.head.num_classes=$CLASSES" "${LOADER[@]}"
fi
train mffnet2 "$(cfg mffnet2 '')" "$E2" "train_dataloader.dataset.seg_map_root=$LABELS"
if [ "$UPPER" = 1 ]; then
  # The upper bound: the same MFF-Net2, trained on the GT masks.
  "$PY" tools/dataset_converters/gt_masks_to_labels.py "$(cfg mffnet2 '')" \
    --out "$GT_LABELS" --cfg-options "${LOADER[@]}"
  train upper "$(cfg mffnet2 '')" "$E2" "train_dataloader.dataset.seg_map_root=$GT_LABELS" \
    "train_dataloader.dataset.pseudo_label_params.source=gt_mask"
fi

# Every evaluation of this seed is one tools/test.py command line in a jobs
# file, run in one process (tools/analysis_tools/test_many.py: the start-up
# is paid once; a result that exists is skipped).
JOBS="$S/results/jobs.txt"
mkdir -p "$S/results"
: > "$JOBS"
evaluate() {  # row name, config, split, extra --cfg-options...
  local row=$1 cfg=$2 split=$3
  shift 3
  printf '%q ' "$cfg" --work-dir "$S/results/$row" --out "$S/results/$row.json" \
    --cfg-options "test_dataloader.dataset.data_root=$DATA" \
    "test_dataloader.dataset.split=$split" \
    "test_dataloader.num_workers=${WORKERS:-2}" \
    "test_dataloader.persistent_workers=False" "$@" >> "$JOBS"
  echo >> "$JOBS"
  [ -f "$S/results/$row.json" ] || TODO=1
}
spol_row() {  # name, segmentor checkpoint, frame, split
  evaluate "$1$3_$4" "$(cfg spol "$3")" "$4" "${TOPK[@]}" \
    "model.classifier.head.num_classes=$CLASSES" \
    "model.segmentor_checkpoint=$2" "model.classifier_checkpoint=$CAM"
}
# The paper's frame (centre crop, every box threshold) on val and test, the
# WSOL protocol's (whole image, best threshold: MaxBoxAcc / V2) on test.
TODO=0
for frame_split in _val _test _protocol_test; do
  frame="${frame_split%_*}"
  split="${frame_split##*_}"
  evaluate "trivial_box${frame}_$split" "$(cfg trivial_box "$frame")" "$split"
  evaluate "cam${frame}_$split" "$(cfg cam "$frame")" "$split" "${TOPK[@]}" \
    "model.head.num_classes=$CLASSES" "load_from=$CAM"
  evaluate "mffnet1${frame}_$split" "$(cfg mffnet1 "$frame")" "$split" "${TOPK[@]}" \
    "model.head.num_classes=$CLASSES" "load_from=$STAGE1"
  spol_row spol "$STAGE2" "$frame" "$split"
  if [ "$UPPER" = 1 ]; then spol_row upper "$UPPER2" "$frame" "$split"; fi
done
if [ "$TODO" = 1 ]; then
  step "seed $SEED: evaluating (val and test, both frames)"
  "$PY" tools/analysis_tools/test_many.py "$JOBS"
fi
done

FIRST="$WORK/seed_${SEEDS%% *}"
PICTURES="$FIRST/results/pictures.png"
if [ ! -f "$PICTURES" ]; then
  step "pictures: $PICTURES"
  "$PY" tools/analysis_tools/spol_pictures.py --data "$DATA" --out "$PICTURES" \
    --num-classes "$CLASSES" --input-size 224 --gppl-size 256 --tile 256 --scale 1 \
    --cam "$(cfg cam '')" "$FIRST/cam/epoch_$E_CAM.pth" \
    --stage1 "$(cfg mffnet1 '')" "$FIRST/mffnet1/epoch_$E1.pth" \
    --stage2 "$(cfg mffnet2 '')" "$FIRST/mffnet2/epoch_$E2.pth"
fi

# One table: each cell is the mean ± std over the seeds ('+' joins the runs
# of one row); the paper-frame columns at the threshold chosen on val.
ROWS=(trivial_box cam mffnet1 spol)
NAMES=("trivial box" "CAM baseline" "MFF-Net1 CAM" "SPOL")
if [ "$UPPER" = 1 ]; then ROWS+=(upper); NAMES+=("upper bound (GT masks)"); fi
TESTS=()
VALS=()
for row in "${ROWS[@]}"; do
  t="" v=""
  for SEED in $SEEDS; do
    R="$WORK/seed_$SEED/results"
    t="${t:+$t+}$R/${row}_test.json,$R/${row}_protocol_test.json"
    v="${v:+$v+}$R/${row}_val.json"
  done
  TESTS+=("$t")
  VALS+=("$v")
done
step "results (test split of $DATA; seeds $SEEDS)"
"$PY" tools/spol_table.py "${TESTS[@]}" --val "${VALS[@]}" --names "${NAMES[@]}" \
  --columns "Top-1 Loc" "GT-known Loc" MaxBoxAcc MaxBoxAccV2 PxAP top1 \
  --out "$WORK/table.md"
echo "pictures: $PICTURES"
