# The upper-bound reference: spol_lite0_synthetic.py with MFF-Net2 trained on
# the GT masks (configs/spol/mffnet2_lite0-gt-masks_8e_synthetic.py) instead
# of the GPPL pseudo labels; the classes from the same Lite0 classifier.
_base_ = ['./spol_lite0_synthetic.py']
model = dict(
    segmentor='configs/spol/mffnet2_lite0-gt-masks_8e_synthetic.py',
    segmentor_checkpoint='work_dirs/mffnet2_lite0-gt-masks_8e_synthetic/'
    'epoch_8.pth')
