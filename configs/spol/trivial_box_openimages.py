# The centred-box reference (no weights) on the WSOL protocol's OpenImages30k
# test masks (configs/_base_/datasets/wsol_protocol.py): the PxAP any method
# on OpenImages should beat.
#   python tools/test.py configs/spol/trivial_box_openimages.py
_base_ = ['./trivial_box_cub.py', '../_base_/datasets/wsol_protocol.py']
test_dataloader = dict(dataset={{_base_.wsol_openimages_test}})
test_evaluator = [dict(type='WSOLBoxMetric', score_threshold=0.2)]
