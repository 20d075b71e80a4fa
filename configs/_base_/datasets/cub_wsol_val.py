# CUB-200-2011 for WSOL with a validation split, as the WSOL protocol asks
# (Choe et al., CVPR 2020: every setting chosen on held-out annotated images,
# never on test). CUB has none, so `val` is a deterministic per-class
# hold-out of 10 % of the official training images (CUB200WSOLDataset's
# `val_fraction`); `train` is the rest, `test` the official test split,
# used only for the final table.
_base_ = ['./cub_wsol.py']

train_dataloader = dict(dataset=dict(val_fraction=0.1))
val_dataloader = dict(dataset=dict(split='val', val_fraction=0.1))
test_dataloader = dict(
    batch_size=64,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type={{_base_.dataset_type}},
        data_root={{_base_.data_root}},
        split='test',
        # so that `test_dataloader.dataset.split=val` evaluates the hold-out
        val_fraction=0.1,
        test_mode=True,
        pipeline={{_base_.test_pipeline}}))
# Box thresholds at which WSOLBoxMetric(threshold_sweep=...) also reports the
# paper's GT-known / Top-k Loc, so that one is chosen on `val` and read on
# `test` (tools/spol_table.py --val) instead of fixing the paper's 0.2.
threshold_sweep = [round(0.05 * k, 2) for k in range(1, 20)]
