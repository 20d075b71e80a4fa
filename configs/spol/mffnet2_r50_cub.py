# Alias of mffnet2_r50_32e_cub.py (SPOL stage 2 on CUB-200-2011, ResNet-50,
# the paper's 32 epochs), reading the labels of the alias mffnet1_r50_cub.py.
_base_ = './mffnet2_r50_32e_cub.py'
pseudo_label_root = 'work_dirs/mffnet1_r50_cub/pseudo_labels'
train_dataloader = dict(dataset=dict(seg_map_root=pseudo_label_root))
