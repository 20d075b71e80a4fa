"""tools/train.py's command line: --auto-scale-lr, --amp, --no-validate."""
import importlib.util
import os.path as osp
import sys

import pytest
from mmengine.config import Config

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


@pytest.fixture(scope='module')
def train():
    spec = importlib.util.spec_from_file_location(
        'train_tool', osp.join(ROOT, 'tools', 'train.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _merged(train, monkeypatch, *argv):
    monkeypatch.setattr(sys, 'argv', ['train.py', *argv])
    args = train.parse_args()
    return train.merge_args(Config.fromfile(args.config), args)


def test_auto_scale_lr_uses_the_configs_base_batch(train, monkeypatch):
    config = osp.join(ROOT, 'configs', 'spol', 'mffnet1_lite0_8e_cub.py')
    cfg = _merged(train, monkeypatch, config, '--auto-scale-lr',
                  '--no-validate', '--amp')
    # the Lite0 lr is set for its batch of 32
    assert cfg.auto_scale_lr == dict(base_batch_size=32, enable=True)
    assert cfg.optim_wrapper.type == 'AmpOptimWrapper'
    assert cfg.val_dataloader is None and cfg.val_cfg is None
    cfg = _merged(train, monkeypatch, config)
    assert not cfg.auto_scale_lr.get('enable', False)


def test_auto_scale_lr_needs_a_base_batch(train, monkeypatch):
    config = osp.join(ROOT, 'tests', 'data', 'configs', 'tiny_cls.py')
    with pytest.raises(ValueError, match='needs `auto_scale_lr'):
        _merged(train, monkeypatch, config, '--auto-scale-lr')
