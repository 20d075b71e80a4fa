"""tools/train.py runs an mmpretrain- and an mmseg-scoped config and resumes.

These start real training processes (a few seconds each).
"""
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
import torch
from PIL import Image

import spol_mm  # noqa: F401  (lets torch.load read mmengine checkpoints)

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = osp.join(ROOT, 'tests', 'data', 'configs')


def _write_cls_folder(root, n=8, size=32):
    rng = np.random.default_rng(0)
    for i in range(n):
        folder = root / f'class_{i % 2}'
        folder.mkdir(parents=True, exist_ok=True)
        img = rng.integers(0, 255, (size, size, 3), dtype=np.uint8)
        Image.fromarray(img).save(folder / f'{i}.png')


def _write_seg_folder(root, n=8, size=32):
    rng = np.random.default_rng(0)
    (root / 'img').mkdir(parents=True)
    (root / 'ann').mkdir()
    for i in range(n):
        img = rng.integers(0, 255, (size, size, 3), dtype=np.uint8)
        label = rng.choice(np.array([0, 1, 255], np.uint8), (size, size))
        Image.fromarray(img).save(root / 'img' / f'{i}.png')
        Image.fromarray(label).save(root / 'ann' / f'{i}.png')


def _train(config, work_dir, data_root, *extra):
    cmd = [sys.executable, osp.join(ROOT, 'tools', 'train.py'), config,
           '--work-dir', str(work_dir), '--cfg-options',
           f'train_dataloader.dataset.data_root={data_root}', *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout + proc.stderr


@pytest.mark.slow
@pytest.mark.parametrize('name,writer', [('tiny_cls.py', _write_cls_folder),
                                         ('tiny_seg.py', _write_seg_folder)])
def test_train_then_resume(name, writer, tmp_path):
    data_root = tmp_path / 'data'
    writer(data_root)
    work_dir = tmp_path / 'work'
    config = osp.join(CONFIGS, name)
    _train(config, work_dir, data_root, 'train_cfg.max_iters=2')
    assert (work_dir / 'iter_2.pth').exists()

    log = _train(config, work_dir, data_root, '--resume')
    assert 'resumed' in log.lower()
    assert 'Iter(train) [3/4]' in log or 'Iter(train) [4/4]' in log
    ckpt = torch.load(work_dir / 'iter_4.pth', map_location='cpu')
    assert ckpt['meta']['iter'] == 4
