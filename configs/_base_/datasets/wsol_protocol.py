# The WSOL protocol's own data sets (Choe et al., CVPR 2020, wsolevaluation),
# read from its metadata files by WSOLMetadataDataset: images under
# `<wsol_root>/dataset/<CUB|ILSVRC|OpenImages>/`, files under
# `<wsol_root>/metadata/<CUB|ILSVRC|OpenImages>/<split>/` (docs/datasets.md).
# A config takes one as a second base and sets, e.g.,
#   test_dataloader = dict(dataset={{_base_.wsol_cub_test}})
# (names unique to this file: mmengine refuses keys that two bases share).
# The dicts are expanded where they are used: another root is
# `--cfg-options test_dataloader.dataset.data_root=...`, not `wsol_root=`.
#   CUB: test = CUB-200-2011's test set, val = CUBV2 (5 images per class);
#   ILSVRC: test = ILSVRC 2012 val with boxes, val = ImageNetV2;
#   OpenImages: OpenImages30k, 100 classes, instance masks (PxAP only).
wsol_root = 'data/wsolevaluation'
# The protocol's frame: the whole image resized to 224x224, masks loaded
# where the metadata has them (cub_wsol.py's protocol_test_pipeline; a test
# keeps the two equal).
wsol_protocol_pipeline = [
    dict(type='LoadWSOLImage'),
    dict(type='LoadWSOLMask'),
    dict(type='Resize', scale=(224, 224), keep_ratio=False),
    dict(type='PackWSOLInputs'),
]
_wsol = dict(
    type='WSOLMetadataDataset',
    data_root=wsol_root,
    test_mode=True,
    pipeline=wsol_protocol_pipeline,
    _delete_=True)
wsol_cub_test = dict(
    _wsol, metadata_root='metadata/CUB/test', data_prefix='dataset/CUB')
wsol_cub_val = dict(
    _wsol, metadata_root='metadata/CUB/val', data_prefix='dataset/CUB')
wsol_imagenet_test = dict(
    _wsol, metadata_root='metadata/ILSVRC/test', data_prefix='dataset/ILSVRC')
wsol_imagenet_val = dict(
    _wsol, metadata_root='metadata/ILSVRC/val', data_prefix='dataset/ILSVRC')
wsol_openimages_test = dict(
    _wsol,
    metadata_root='metadata/OpenImages/test',
    data_prefix='dataset/OpenImages',
    mask_root='dataset/OpenImages')
wsol_openimages_val = dict(
    _wsol,
    metadata_root='metadata/OpenImages/val',
    data_prefix='dataset/OpenImages',
    mask_root='dataset/OpenImages')
