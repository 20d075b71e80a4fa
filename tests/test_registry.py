"""spol_mm components are visible from mmpretrain- and mmseg-scoped configs."""
import pytest
from mmengine.config import Config
from mmpretrain import registry as pretrain_registry
from mmseg import registry as seg_registry

import spol_mm  # noqa: F401
from tests.helpers import build_in_scope

COMPONENTS = {
    'MODELS': ['MultiplicativeChannelAttention', 'MFFNeck', 'CAMHead',
               'MaskedBCEHead', 'SPOLLocalizer', 'TrivialBoxLocalizer'],
}


@pytest.mark.parametrize('toolbox', [pretrain_registry, seg_registry])
@pytest.mark.parametrize('registry_name,names', sorted(COMPONENTS.items()))
def test_registered_in_both_toolboxes(toolbox, registry_name, names):
    registry = getattr(toolbox, registry_name)
    missing = [name for name in names if name not in registry]
    assert not missing, f'{missing} not in {toolbox.__name__}.{registry_name}'


@pytest.mark.parametrize('scope', ['mmpretrain', 'mmseg'])
def test_neck_builds_from_either_scope(scope):
    neck = build_in_scope(
        dict(type='MFFNeck', in_channels=[4, 8], in_index=(0, 1)), scope)
    assert type(neck).__name__ == 'MFFNeck'


def test_spol_mm_config_reference(tmp_path):
    # A user's config inherits ours by package reference, as with mmpretrain.
    user_cfg = tmp_path / 'my_mffnet1.py'
    user_cfg.write_text(
        "_base_ = ['spol_mm::_base_/models/mffnet1_r50.py']\n"
        "model = dict(head=dict(num_classes=7))\n")
    cfg = Config.fromfile(str(user_cfg))
    assert cfg.model.neck.type == 'MFFNeck'
    assert cfg.model.head.num_classes == 7
