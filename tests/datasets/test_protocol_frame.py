"""protocol_test_pipeline: any test pipeline in the WSOL protocol's frame."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config

from spol_mm.datasets.transforms import protocol_test_pipeline
from spol_mm.utils.testing import make_test_parser, merge_test_args

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
PROTOCOL_CONFIGS = sorted(
    glob.glob(osp.join(ROOT, 'configs', 'spol', '*_protocol.py')))


def test_there_are_protocol_configs():
    assert len(PROTOCOL_CONFIGS) >= 10


def test_cub_test_pipeline_becomes_the_protocol_pipeline():
    cfg = Config.fromfile(
        osp.join(ROOT, 'configs', '_base_', 'datasets', 'cub_wsol.py'))
    pipeline = cfg.test_pipeline
    assert protocol_test_pipeline(pipeline) == cfg.protocol_test_pipeline
    assert pipeline != cfg.protocol_test_pipeline  # the input is unchanged


@pytest.mark.parametrize('path', PROTOCOL_CONFIGS,
                         ids=lambda p: osp.basename(p)[:-3])
def test_every_protocol_config_is_its_base_with_the_protocol_frame(path):
    """The *_protocol configs and `tools/test.py --protocol-frame` on their
    base config evaluate the same images."""
    base = path.replace('_protocol.py', '.py')
    cfg = merge_test_args(
        Config.fromfile(base),
        make_test_parser().parse_args([base, '--protocol-frame']))
    assert cfg.test_dataloader.dataset.pipeline == \
        Config.fromfile(path).test_dataloader.dataset.pipeline


def test_a_pipeline_without_a_declared_protocol_frame_is_derived():
    config = osp.join(ROOT, 'configs', 'spol', 'mffnet1_lite0_8e_cub.py')
    cfg = Config.fromfile(config)
    cfg.protocol_test_pipeline = None
    cfg = merge_test_args(
        cfg, make_test_parser().parse_args([config, '--protocol-frame']))
    assert cfg.test_dataloader.dataset.pipeline == protocol_test_pipeline(
        Config.fromfile(config).test_dataloader.dataset.pipeline)


def test_scoped_names_and_other_sizes():
    pipeline = [
        dict(type='mmpretrain.LoadImageFromFile'),
        dict(type='mmpretrain.ResizeEdge', scale=256, edge='short'),
        dict(type='mmpretrain.CenterCrop', crop_size=224),
        dict(type='mmpretrain.PackInputs'),
    ]
    assert protocol_test_pipeline(pipeline, size=96) == [
        dict(type='mmpretrain.LoadImageFromFile'),
        dict(type='Resize', scale=(96, 96), keep_ratio=False),
        dict(type='mmpretrain.PackInputs'),
    ]


def test_unknown_transforms_and_no_packer_are_refused():
    with pytest.raises(ValueError, match="'ColorJitter' is neither"):
        protocol_test_pipeline([
            dict(type='LoadWSOLImage'),
            dict(type='ColorJitter'),
            dict(type='PackWSOLInputs')
        ])
    with pytest.raises(ValueError, match='no Pack'):
        protocol_test_pipeline([dict(type='LoadWSOLImage')])


def test_the_protocol_data_sets_read_in_the_protocol_frame():
    cub = Config.fromfile(
        osp.join(ROOT, 'configs', '_base_', 'datasets', 'cub_wsol.py'))
    wsol = Config.fromfile(
        osp.join(ROOT, 'configs', '_base_', 'datasets', 'wsol_protocol.py'))
    assert wsol.wsol_protocol_pipeline == cub.protocol_test_pipeline
