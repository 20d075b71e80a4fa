# trivial_box_cub.py (the centred-box calibration reference, no weights) on
# the generated benchmark, in the frames of spol_lite0_synthetic.py:
#   python tools/test.py configs/spol/trivial_box_synthetic.py
_base_ = ['./trivial_box_cub.py', '../_base_/datasets/synthetic_wsol_256.py']
test_dataloader = dict(dataset=dict(data_root={{_base_.synthetic_root}}))
