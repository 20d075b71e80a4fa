# tiny_cls.py made reproducible for the resume-equivalence test: a fixed
# seed, deterministic kernels, dropout (CAMHead's default 0.5) and RandomFlip
# on, a validation right after each checkpoint, and spol_mm's RNGStateHook.
# The tests set `train_dataloader.dataset.data_root` and
# `val_dataloader.dataset.data_root`, and stop a run midway with
# `custom_hooks.1.iters=K` (or `.epochs=K`), as if it were killed.
_base_ = ['./tiny_cls.py']
custom_imports = dict(
    imports=['spol_mm', 'tests.tools.stop_hook'],
    allow_failed_imports=False)

randomness = dict(seed=0, deterministic=True)
train_dataloader = dict(batch_size=2)
val_dataloader = dict(
    batch_size=2,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='CustomDataset',
        data_root='',
        pipeline=[dict(type='LoadImageFromFile'),
                  dict(type='PackInputs')]))
val_cfg = dict()
val_evaluator = dict(type='Accuracy', topk=(1, ))
train_cfg = dict(max_iters=4, val_interval=2)
custom_hooks = [dict(type='RNGStateHook'), dict(type='StopTrainingHook')]
