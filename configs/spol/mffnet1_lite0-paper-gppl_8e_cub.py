# mffnet1_lite0_8e_cub.py with the paper's GPPL thresholds (foreground 0.5,
# background 0.004; moments over the whole CAM) instead of the Lite0
# configs' background threshold 0.2 (configs/spol/README.md, "Stage 2").
_base_ = ['./mffnet1_lite0_8e_cub.py']
custom_hooks = [
    dict(
        type='GPPLHook',
        size=(256, 256),
        gppl_cfg=dict(mode='paper', fg_reading='off', fg_thr=0.5,
                      bg_thr=0.004)),
    dict(type='RNGStateHook'),
]
