import os.path as osp
import subprocess
import sys

import pytest
import torch
from mmengine.config import Config

from spol_mm.registry import MODELS
from tests.helpers import build_in_scope
from tests.official_layout import OfficialSPOL, randomize_

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = osp.join(ROOT, 'tools', 'model_converters', 'spol_official_to_mm.py')
CONFIGS = {
    'cam': ('configs/_base_/models/mffnet1_r50.py', 200),
    'seg': ('configs/_base_/models/mffnet2_r50.py', 1),
}


def _spol_mm_model(stage):
    cfg = Config.fromfile(osp.join(ROOT, CONFIGS[stage][0])).model
    cfg.backbone.init_cfg = None  # no download here
    return build_in_scope(cfg, 'mmseg' if stage == 'seg' else 'mmpretrain')


@pytest.mark.parametrize('stage', ['cam', 'seg'])
def test_converted_checkpoint_reproduces_official_output(stage, tmp_path):
    assert 'MFFNeck' in MODELS
    official = randomize_(OfficialSPOL(CONFIGS[stage][1], stage)).eval()
    state = official.state_dict()
    assert len(state) == 368  # as official_checkpoint_layout.md counts
    src, dst = tmp_path / 'official.pth', tmp_path / 'converted.pth'
    torch.save(state, src)
    subprocess.run([sys.executable, TOOL, str(src), str(dst), '--stage',
                    stage], check=True, capture_output=True)

    model = _spol_mm_model(stage).eval()
    ckpt = torch.load(dst, map_location='cpu')
    result = model.load_state_dict(ckpt['state_dict'], strict=True)
    assert not result.missing_keys and not result.unexpected_keys

    x = torch.randn(2, 3, 96, 96)
    with torch.no_grad():
        expected = official(x)
        actual = model(x, mode='tensor')
    assert actual.shape == expected.shape == (2, CONFIGS[stage][1], 12, 12)
    assert (actual - expected).abs().max() < 1e-4


def test_unknown_key_is_reported(tmp_path):
    src = tmp_path / 'bad.pth'
    torch.save({'bkbone.conv1.weight': torch.zeros(1), 'mystery.w':
                torch.zeros(1)}, src)
    proc = subprocess.run([sys.executable, TOOL, str(src),
                           str(tmp_path / 'out.pth'), '--stage', 'cam'],
                          capture_output=True, text=True)
    assert proc.returncode != 0
    assert "mystery.w" in proc.stderr
    assert not (tmp_path / 'out.pth').exists()
