# tiny_cls_resume.py with an epoch-based loop: checkpoints and validation
# every 2 epochs.
_base_ = ['./tiny_cls_resume.py']

train_cfg = dict(_delete_=True, by_epoch=True, max_epochs=4, val_interval=2)
param_scheduler = [dict(type='MultiStepLR', by_epoch=True, milestones=[3])]
default_hooks = dict(
    checkpoint=dict(type='CheckpointHook', interval=2, by_epoch=True))
log_processor = dict(by_epoch=True)
