# tiny_cls.py for comparing a 2-process gloo run (batch 2 per process) with
# a 1-process run (batch 4): no dropout and no flip (each rank would draw
# its own masks and flips), fixed seed. The tests set the data roots of the
# train and test loaders.
_base_ = ['./tiny_cls.py']

randomness = dict(seed=0, deterministic=True)
model = dict(head=dict(dropout_ratio=0.))
train_dataloader = dict(
    batch_size=4,
    dataset=dict(pipeline=[dict(type='LoadImageFromFile'),
                           dict(type='PackInputs')]))
test_dataloader = dict(
    batch_size=2,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='CustomDataset',
        data_root='',
        pipeline=[dict(type='LoadImageFromFile'),
                  dict(type='PackInputs')]))
test_cfg = dict()
test_evaluator = dict(type='Accuracy', topk=(1, ))
