# SPOL stage 1 on CUB-200-2011: MFF-Net1 (ResNet-50, Fuse3 by multiplication,
# MCA, aux loss) trained for classification; its CAMs become pseudo labels.
_base_ = [
    '../_base_/models/mffnet1_r50.py',
    '../_base_/datasets/cub_wsol.py',
    '../_base_/schedules/spol_sgd_32e.py',
    '../_base_/spol_cls_runtime.py',
]

model = dict(head=dict(num_classes=200))

# Top-1/5 accuracy, and the CAM of the ground-truth class as a WSOL localiser
# (the paper's Top-1/5 and GT-known Loc of stage 1 alone; the protocol's
# MaxBoxAccV2 needs the whole image: evaluate with the pipeline of
# configs/_base_/datasets/cub_wsol_protocol.py).
val_evaluator = [
    dict(type='Accuracy', topk=(1, 5)),
    dict(type='WSOLBoxMetric'),
]
test_evaluator = val_evaluator

# After training, write GPPL pseudo labels for the training images to
# `<work_dir>/pseudo_labels` (read by configs/spol/mffnet2_r50_32e_cub.py);
# checkpoints carry the RNG states, so `--resume` continues exactly.
custom_hooks = [dict(type='GPPLHook'), dict(type='RNGStateHook')]
