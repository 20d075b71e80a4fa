# mffnet1_lite0_8e_synthetic.py with the paper's GPPL thresholds (see
# mffnet1_lite0-paper-gppl_8e_cub.py).
_base_ = ['./mffnet1_lite0_8e_synthetic.py']
custom_hooks = [
    dict(
        type='GPPLHook',
        size=(256, 256),
        gppl_cfg=dict(mode='paper', fg_reading='off', fg_thr=0.5,
                      bg_thr=0.004)),
    dict(type='RNGStateHook'),
]
