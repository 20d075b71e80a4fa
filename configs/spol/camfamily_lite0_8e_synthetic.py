# camfamily_lite0_8e_cub.py on the generated CUB-like benchmark, on the CAM
# baseline of configs/spol/cam_lite0_8e_synthetic.py.
_base_ = [
    './camfamily_lite0_8e_cub.py', '../_base_/datasets/synthetic_wsol_256.py'
]
model = dict(
    classifier=dict(head=dict(num_classes={{_base_.synthetic_classes}})),
    classifier_checkpoint='work_dirs/cam_lite0_8e_synthetic/epoch_8.pth')
test_dataloader = dict(dataset=dict(data_root={{_base_.synthetic_root}}))
