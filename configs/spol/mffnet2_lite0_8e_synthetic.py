# mffnet2_lite0_8e_cub.py on the generated benchmark, trained on the pseudo
# labels of configs/spol/mffnet1_lite0_8e_synthetic.py.
_base_ = ['./mffnet2_lite0_8e_cub.py', '../_base_/datasets/synthetic_wsol_256.py']
train_dataloader = dict(
    dataset=dict(
        data_root={{_base_.synthetic_root}},
        seg_map_root='work_dirs/mffnet1_lite0_8e_synthetic/pseudo_labels'))
