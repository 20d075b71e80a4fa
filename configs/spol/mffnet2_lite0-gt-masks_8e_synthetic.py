# The UPPER BOUND reference of the WSOL tables, not SPOL: MFF-Net2
# (mffnet2_lite0_8e_synthetic.py, same model, schedule and training images)
# trained on the ground-truth masks instead of stage 1's GPPL pseudo labels.
# Write the labels first (nothing of SPOL's stage 1 is needed):
#   python tools/dataset_converters/gt_masks_to_labels.py \
#       configs/spol/mffnet2_lite0-gt-masks_8e_synthetic.py
#   python tools/train.py configs/spol/mffnet2_lite0-gt-masks_8e_synthetic.py
# then evaluate with spol_lite0-gt-masks_synthetic.py (+ _protocol).
_base_ = ['./mffnet2_lite0_8e_synthetic.py']
train_dataloader = dict(
    dataset=dict(
        seg_map_root='work_dirs/mffnet2_lite0-gt-masks_8e_synthetic/gt_labels',
        # Only labels made from the GT masks are accepted (a GPPL directory
        # records no `source`, so it is refused).
        pseudo_label_params=dict(source='gt_mask')))
