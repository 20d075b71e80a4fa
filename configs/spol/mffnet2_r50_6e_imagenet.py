# SPOL stage 2 on ImageNet-1K: 6 epochs (paper Sec. 4.2).
_base_ = './mffnet2_r50_32e_cub.py'
data_root = 'data/imagenet'
pseudo_label_root = 'work_dirs/mffnet1_r50_6e_imagenet/pseudo_labels'
train_cfg = dict(max_epochs=6)
train_dataloader = dict(
    dataset=dict(
        type='ImageNetWSOLDataset',
        data_root=data_root,
        seg_map_root=pseudo_label_root))
