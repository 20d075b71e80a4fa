# spol_lite0_cub.py on the generated benchmark: MFF-Net2's mask from
# configs/spol/mffnet2_lite0_8e_synthetic.py, the classes from the CAM
# baseline, configs/spol/cam_lite0_8e_synthetic.py.
_base_ = ['./spol_lite0_cub.py', '../_base_/datasets/synthetic_wsol_256.py']
model = dict(
    segmentor='configs/spol/mffnet2_lite0_8e_synthetic.py',
    classifier=dict(head=dict(num_classes={{_base_.synthetic_classes}})),
    segmentor_checkpoint='work_dirs/mffnet2_lite0_8e_synthetic/epoch_8.pth',
    classifier_checkpoint='work_dirs/cam_lite0_8e_synthetic/epoch_8.pth')
test_dataloader = dict(dataset=dict(data_root={{_base_.synthetic_root}}))
