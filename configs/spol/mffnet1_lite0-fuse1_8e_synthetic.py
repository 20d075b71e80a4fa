# Table 2 ablation on the CUB-like benchmark: the deepest map alone (Fuse1;
# with one level the fusion operator does nothing, so this is every row's
# Fuse1). MCA and the aux loss stay, as in the paper's MFF-Net.
_base_ = './mffnet1_lite0_8e_synthetic.py'
model = dict(neck=dict(in_channels=[320], in_index=(2, )))
