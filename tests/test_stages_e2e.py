"""The real stage configs run end to end through tools/train.py on a tiny
CUB-200-2011 folder: stage 1 writes pseudo labels, stage 2 trains on them."""
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest

from tests.datasets.wsol_data import CUB_CLASSES, make_cub

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def _tiny(data_root, work_dir):
    """Overrides that make a full-size config run in seconds offline."""
    return [
        f'work_dir={work_dir}', 'model.backbone.init_cfg=None',
        'train_cfg.max_epochs=1',
        *(f'{split}_dataloader.{key}'
          for split in ('train', 'val', 'test')
          for key in (f'dataset.data_root={data_root}', 'batch_size=2',
                      'num_workers=0', 'persistent_workers=False'))
    ]


def _run(args):
    proc = subprocess.run([sys.executable, *args], capture_output=True,
                          text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout + proc.stderr


@pytest.mark.slow
def test_stage1_labels_then_stage2(tmp_path):
    data = tmp_path / 'CUB_200_2011'
    truth = make_cub(str(data))
    stage1 = tmp_path / 'stage1'
    _run([
        'tools/train.py', 'configs/spol/mffnet1_r50_32e_cub.py', '--cfg-options',
        *_tiny(data, stage1), f'model.head.num_classes={len(CUB_CLASSES)}',
        f'data_preprocessor.num_classes={len(CUB_CLASSES)}',
        # Three classes: no top-5.
        'val_evaluator.0.topk=[1]', 'val_evaluator.1.topk=[1]'
    ])
    labels = stage1 / 'pseudo_labels'
    for item in truth.values():
        path = labels / (item['rel'][:-4] + '.png')
        if not item['train']:
            assert not path.exists()
            continue
        label = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
        assert label.shape == item['shape']  # the original image size
        assert set(np.unique(label)) <= {0, 1, 255}

    stage2 = tmp_path / 'stage2'
    tiny2 = [a for a in _tiny(data, stage2)
             if not a.startswith(('val_', 'test_'))]
    log = _run([
        'tools/train.py', 'configs/spol/mffnet2_r50_32e_cub.py', '--cfg-options',
        *tiny2, f'train_dataloader.dataset.seg_map_root={labels}'
    ])
    assert (stage2 / 'epoch_1.pth').exists(), log[-2000:]
