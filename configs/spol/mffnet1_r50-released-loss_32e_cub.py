# The authors' released loss: the fused branch imitates the deep branch
# (soft target, detached), both losses averaged.
_base_ = './mffnet1_r50_32e_cub.py'
model = dict(head=dict(aux_loss='released'))
