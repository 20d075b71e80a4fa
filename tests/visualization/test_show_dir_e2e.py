"""`tools/test.py CONFIG --show-dir DIR` on the real synthetic-benchmark
configs (random weights, a 4-image CUB folder): metrics and one picture per
test image, for the SPOL localizer and a stage-1 CAM."""
import json
import os.path as osp
import subprocess
import sys

import cv2
import pytest

from tests.datasets.wsol_data import CUB_IMAGES, make_cub

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
NUM_TEST = sum(1 for _, _, train, _, _ in CUB_IMAGES if not train)


def _overrides(data_root, work_dir):
    return [
        f'work_dir={work_dir}',
        f'test_dataloader.dataset.data_root={data_root}',
        'test_dataloader.batch_size=2', 'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False'
    ]


@pytest.mark.parametrize('config, extra', [
    ('configs/spol/spol_r18_synthetic.py',
     ['model.segmentor_checkpoint=None', 'model.classifier_checkpoint=None']),
    ('configs/spol/cam_r18_16e_synthetic.py', []),
])
def test_show_dir_writes_one_picture_per_image(tmp_path, config, extra):
    data = tmp_path / 'CUB_200_2011'
    make_cub(str(data))
    show_dir = tmp_path / 'vis'
    proc = subprocess.run(
        [sys.executable, 'tools/test.py', config, '--show-dir',
         str(show_dir), '--out', str(tmp_path / 'metrics.json'),
         '--cfg-options',
         *_overrides(data, tmp_path / 'work'), *extra],
        capture_output=True, text=True, cwd=ROOT)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-3000:]
    metrics = json.loads((tmp_path / 'metrics.json').read_text())
    assert 'accuracy/top1' in metrics, metrics
    assert any(key.startswith('wsol/') for key in metrics), metrics
    pictures = sorted(show_dir.glob('*.png'))
    assert len(pictures) == NUM_TEST, log[-2000:]
    for picture in pictures:
        # The network input: resize 128, centre crop 112.
        assert cv2.imread(str(picture)).shape == (112, 112, 3)
