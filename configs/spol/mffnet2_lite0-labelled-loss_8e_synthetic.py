# Stage-2 ablation on the CUB-like benchmark: the masked BCE summed over the
# labelled pixels and divided by their number, instead of by all pixels (Eq. 7).
_base_ = './mffnet2_lite0_8e_synthetic.py'
model = dict(decode_head=dict(normalize='labelled'))
