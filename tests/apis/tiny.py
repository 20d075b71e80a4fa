"""Tiny WSOL model configs for the inferencer, demo and visualisation tests
(random weights, 32 px inputs, seconds on a CPU)."""
from typing import Optional, Sequence

import torch
from mmengine.config import Config

from tests.helpers import build_in_scope

NUM_CLASSES = 7
SEGMENTOR = dict(
    type='EncoderDecoder',
    backbone=dict(type='ResNet', depth=18, out_indices=(1, 2, 3)),
    neck=dict(type='MFFNeck', in_channels=[128, 256, 512], in_index=(0, 1, 2),
              channels=8, mca_channels=8),
    decode_head=dict(type='MaskedBCEHead', in_channels=8),
    test_cfg=dict(mode='whole'))
CLASSIFIER = dict(
    type='ImageClassifier',
    backbone=dict(type='ResNet', depth=18, out_indices=(3, )),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(type='LinearClsHead', num_classes=NUM_CLASSES, in_channels=512,
              topk=(1, 5)))
CAM_CLASSIFIER = dict(
    type='ImageClassifier',
    backbone=dict(type='ResNet', depth=18, out_indices=(1, 2, 3)),
    neck=dict(type='MFFNeck', in_channels=[128, 256, 512], in_index=(0, 1, 2),
              channels=8, mca_channels=8),
    head=dict(type='CAMHead', num_classes=NUM_CLASSES, in_channels=8,
              attach_cam='gt', topk=(1, 5)))
PREPROCESSOR = dict(
    type='ClsDataPreprocessor',
    num_classes=NUM_CLASSES,
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    to_rgb=True)


def test_pipeline(resize=(40, 40), crop: Optional[int] = 32) -> list:
    """The WSOL test pipeline: resize (w, h), centre crop, pack."""
    pipeline = [
        dict(type='LoadWSOLImage'),
        dict(type='LoadWSOLMask'),
        dict(type='Resize', scale=resize, keep_ratio=False),
    ]
    if crop is not None:
        pipeline.append(dict(type='WSOLCenterCrop', crop_size=crop))
    return pipeline + [dict(type='PackWSOLInputs')]


def _runtime(model: dict, pipeline: Sequence[dict],
             data_root: str = '') -> dict:
    return dict(
        _base_=None,
        default_scope='mmpretrain',
        custom_imports=dict(imports=['spol_mm'], allow_failed_imports=False),
        model=model,
        test_dataloader=dict(
            batch_size=2,
            num_workers=0,
            sampler=dict(type='DefaultSampler', shuffle=False),
            dataset=dict(type='CUB200WSOLDataset', data_root=data_root,
                         split='test', test_mode=True,
                         pipeline=list(pipeline))),
        test_evaluator=[
            dict(type='Accuracy', topk=(1, )),
            dict(type='WSOLBoxMetric', topk=(1, ), score_threshold=0.2),
        ],
        test_cfg=dict(),
        default_hooks=dict(
            timer=dict(type='IterTimerHook'),
            logger=dict(type='LoggerHook', interval=1),
            visualization=dict(type='VisualizationHook', enable=False,
                               interval=1)),
        visualizer=dict(type='WSOLVisualizer',
                        vis_backends=[dict(type='LocalVisBackend')]),
        env_cfg=dict(dist_cfg=dict(backend='gloo')),
        log_level='WARNING')


def spol_config(pipeline: Optional[Sequence[dict]] = None,
                data_root: str = '', classifier: bool = True) -> Config:
    """A tiny :class:`SPOLLocalizer` config (mmpretrain scope)."""
    model = dict(type='SPOLLocalizer', segmentor=SEGMENTOR,
                 score_threshold=0.2, data_preprocessor=PREPROCESSOR)
    if classifier:
        model['classifier'] = CLASSIFIER
    cfg = _runtime(model, pipeline or test_pipeline(), data_root)
    cfg.pop('_base_')
    return Config(cfg)


def cam_config(pipeline: Optional[Sequence[dict]] = None,
               data_root: str = '') -> Config:
    """A tiny stage-1 classifier (MFF neck + CAMHead) config."""
    cfg = _runtime(dict(CAM_CLASSIFIER, data_preprocessor=PREPROCESSOR),
                   pipeline or test_pipeline(), data_root)
    cfg.pop('_base_')
    return Config(cfg)


def save_random_checkpoint(cfg: Config, path: str, seed: int = 0,
                           classes: Optional[Sequence[str]] = None) -> dict:
    """Build the config's model with seeded random weights and save it as
    an mmengine checkpoint; return its state dict."""
    torch.manual_seed(seed)
    model = build_in_scope(cfg.model, cfg.default_scope)
    state = model.state_dict()
    meta = dict(dataset_meta=dict(classes=list(classes))) if classes else {}
    torch.save(dict(state_dict=state, meta=meta), path)
    return state
