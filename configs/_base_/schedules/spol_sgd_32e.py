# The paper's schedule (Sec. 4.2): SGD with Nesterov momentum, lr 0.02 for the
# new layers and 0.002 for the pretrained backbone, constant, 32 epochs.
optim_wrapper = dict(
    optimizer=dict(
        type='SGD', lr=0.02, momentum=0.9, weight_decay=1e-4, nesterov=True),
    paramwise_cfg=dict(custom_keys={'backbone': dict(lr_mult=0.1)}))
# Constant learning rate: no scheduler.
param_scheduler = []
train_cfg = dict(by_epoch=True, max_epochs=32, val_interval=1)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=64)
