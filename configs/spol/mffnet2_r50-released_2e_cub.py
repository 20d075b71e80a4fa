# The authors' released stage-2 schedule: lr 0.02 for backbone and head,
# 2 epochs, batch 128.
_base_ = './mffnet2_r50_32e_cub.py'
optim_wrapper = dict(paramwise_cfg=dict(_delete_=True))
train_cfg = dict(max_epochs=2)
train_dataloader = dict(batch_size=128)
auto_scale_lr = dict(base_batch_size=128)
