# Alias of mffnet1_r50_32e_cub.py (SPOL stage 1 on CUB-200-2011, ResNet-50,
# the paper's 32 epochs), under the name earlier releases used. Its pseudo
# labels go to work_dirs/mffnet1_r50_cub/pseudo_labels, where
# mffnet2_r50_cub.py looks.
_base_ = './mffnet1_r50_32e_cub.py'
