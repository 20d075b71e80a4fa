# The paper's optimiser (Sec. 4.2: SGD, Nesterov momentum, lr 0.02 for the
# new layers, 0.1x for the ImageNet backbone, constant) on a CPU budget:
# 8 epochs instead of 32, and the Lite0 stem and first two stages frozen
# (`frozen_stages=3`, set in the configs) as their stride-2/4 maps are the
# costliest part of the backward pass on a CPU and MFF-Net reads none of them.
_base_ = ['./spol_sgd_32e.py']
train_cfg = dict(max_epochs=8, val_interval=2)
