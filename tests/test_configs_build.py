"""Every config under configs/spol loads and builds its model (no weights
are read), and the test configs draw with WSOLVisualizer."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config

from tests.helpers import build_in_scope

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = sorted(
    osp.relpath(p, ROOT)
    for p in glob.glob(osp.join(ROOT, 'configs', 'spol', '*.py')))
# Configs whose `tools/test.py --show-dir` pictures are WSOL pictures.
WSOL_PICTURES = [
    'spol_r50_cub', 'spol_r50_imagenet', 'spol_r18_synthetic',
    'spol_r18_synthetic_protocol', 'mffnet1_r50_32e_cub_protocol', 'mffnet1_r50_6e_imagenet_protocol',
    'cam_r18_16e_synthetic', 'cam_r18_16e_synthetic_protocol',
    'mffnet1_r18_16e_synthetic_protocol', 'spol_lite0_cub', 'spol_lite0_synthetic',
    'spol_lite0_cub_protocol', 'trivial_box_synthetic',
    'trivial_box_synthetic_protocol'
]


def _model_cfg(cfg: Config) -> dict:
    model = dict(cfg.model)
    if cfg.get('data_preprocessor') is not None:
        model.setdefault('data_preprocessor', cfg.data_preprocessor)
    if model['type'] == 'SPOLLocalizer':
        # The stage checkpoints are trained later.
        model.update(segmentor_checkpoint=None, classifier_checkpoint=None)
    if model['type'] == 'CAMFamilyLocalizer':
        model.update(classifier_checkpoint=None)
    return model


def test_all_new_configs_are_listed():
    names = {osp.basename(p)[:-3] for p in CONFIGS}
    assert {'cls_r50_100e_cub', 'cls_densenet161_100e_cub', 'cls_r50_imagenet',
            'mffnet1_r50_32e_cub_protocol', 'mffnet1_r50_6e_imagenet_protocol', 'spol_r50_imagenet'} <= names


@pytest.mark.parametrize('path', CONFIGS)
def test_config_builds_its_model(path, monkeypatch):
    monkeypatch.chdir(ROOT)  # localizers name their stages' config files
    cfg = Config.fromfile(path)
    model = build_in_scope(_model_cfg(cfg), cfg.get('default_scope'))
    assert type(model).__name__ == cfg.model.type


@pytest.mark.parametrize('name', WSOL_PICTURES)
def test_test_configs_draw_wsol_pictures(name):
    cfg = Config.fromfile(osp.join(ROOT, 'configs', 'spol', f'{name}.py'))
    assert cfg.visualizer.type == 'WSOLVisualizer'
    hook = cfg.default_hooks.visualization
    assert hook.type == 'VisualizationHook' and hook.interval == 1


def test_cam_configs_report_both_thresholds():
    for name in ('mffnet1_r50_32e_cub_protocol', 'mffnet1_r50_6e_imagenet_protocol'):
        cfg = Config.fromfile(
            osp.join(ROOT, 'configs', 'spol', f'{name}.py'))
        metric = [e for e in cfg.test_evaluator
                  if e.type == 'WSOLBoxMetric'][0]
        assert metric.protocol is True and metric.score_threshold == 0.2
        # The protocol's frame: the whole image, no crop.
        types = [t.type for t in cfg.test_dataloader.dataset.pipeline]
        assert not any('Crop' in t for t in types), types
