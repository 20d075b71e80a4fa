# mffnet1_r18_synthetic.py evaluated in the WSOL protocol's frame (whole image, no crop):
# MaxBoxAcc, MaxBoxAccV2 (best threshold per IoU) and PxAP.
_base_ = './mffnet1_r18_synthetic.py'
test_dataloader = dict(dataset=dict(pipeline={{_base_.protocol_test_pipeline}}))

# Pictures for `tools/test.py --show-dir`: the score map as colours, the
# predicted box and class, the GT boxes; one per test image.
visualizer = dict(type='WSOLVisualizer')
default_hooks = dict(visualization=dict(interval=1))
