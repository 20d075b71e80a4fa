# Epoch-based runtime for the mmseg stage-2 configs (mmseg's own bases are
# iteration-based).
_base_ = ['mmseg::_base_/default_runtime.py']
custom_imports = dict(imports=['spol_mm'], allow_failed_imports=False)
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=True),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', by_epoch=True, interval=1,
                    max_keep_ckpts=3),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook'))
log_processor = dict(by_epoch=True)
# Checkpoints carry the RNG states, so `--resume` continues exactly (exact
# for epoch-based runs with `persistent_workers=False`, see RNGStateHook).
custom_hooks = [dict(type='RNGStateHook')]
