# spol_r50_cub.py on the WSOL protocol's CUB files (test = CUB-200-2011's
# test set, val = CUBV2; configs/_base_/datasets/wsol_protocol.py), the whole
# image at 224 (MaxBoxAcc, MaxBoxAccV2, and GT-known Loc in that frame):
#   python tools/test.py configs/spol/spol_r50_wsolcub.py --cfg-options \
#       model.segmentor_checkpoint=... model.classifier_checkpoint=...
# Settings are chosen on val (CUBV2): --cfg-options
#     test_dataloader.dataset.metadata_root=metadata/CUB/val
_base_ = ['./spol_r50_cub.py', '../_base_/datasets/wsol_protocol.py']
test_dataloader = dict(dataset={{_base_.wsol_cub_test}})
