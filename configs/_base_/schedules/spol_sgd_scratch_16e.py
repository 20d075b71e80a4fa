# The paper's optimiser for networks trained from scratch (the ResNet-18 of
# the generated benchmark, where nothing can be downloaded): one learning
# rate, 0.02, for all layers, constant, 16 epochs.
_base_ = ['./spol_sgd_32e.py']
optim_wrapper = dict(paramwise_cfg=dict(_delete_=True))
train_cfg = dict(max_epochs=16, val_interval=8)
