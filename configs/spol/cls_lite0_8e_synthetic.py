# cls_lite0_8e_cub.py on the generated CUB-like benchmark
# (tools/dataset_converters/make_synthetic_wsol.py: 12 classes, 256 px), with
# the same pretrained Lite0, frames and schedule. `make demo` runs it.
_base_ = ['./cls_lite0_8e_cub.py', '../_base_/datasets/synthetic_wsol_256.py']
model = dict(head=dict(num_classes={{_base_.synthetic_classes}}))
train_dataloader = dict(dataset=dict(data_root={{_base_.synthetic_root}}))
val_dataloader = dict(dataset=dict(data_root={{_base_.synthetic_root}}))
test_dataloader = dict(dataset=dict(data_root={{_base_.synthetic_root}}))
