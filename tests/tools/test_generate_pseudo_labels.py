"""tools/generate_pseudo_labels.py: a 4-image CUB tree, a tiny MFF-Net1."""
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest
import torch

from spol_mm.pseudo_label import check_pseudo_label_meta
from tests.datasets.wsol_data import CUB_IMAGES, cub_rel_path, make_cub
from tests.helpers import build_in_scope

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

MODEL = dict(
    type='ImageClassifier',
    backbone=dict(type='ResNet', depth=18, out_indices=(1, 2, 3)),
    neck=dict(
        type='MFFNeck',
        in_channels=[128, 256, 512],
        in_index=(0, 1, 2),
        channels=16,
        mca_channels=8),
    head=dict(type='CAMHead', num_classes=3, in_channels=16))

CONFIG = """
_base_ = ['mmpretrain::_base_/default_runtime.py']
custom_imports = dict(imports=['spol_mm'], allow_failed_imports=False)
model = {model}
data_preprocessor = dict(
    num_classes=3, mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375], to_rgb=True)
train_dataloader = dict(
    batch_size=4, num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type='CUB200WSOLDataset', data_root={data_root!r},
                 split='train', pipeline=[dict(type='LoadImageFromFile'),
                                          dict(type='PackWSOLInputs')]))
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.01))
train_cfg = dict(by_epoch=True, max_epochs=1)
custom_hooks = [dict(type='GPPLHook', gppl_cfg=dict(fg_thr=0.45))]
"""


def _run(*args):
    tool = osp.join(ROOT, 'tools', 'generate_pseudo_labels.py')
    cmd = [sys.executable, tool, *map(str, args)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout + proc.stderr


@pytest.mark.slow
def test_tool_writes_labels_for_the_training_images(tmp_path):
    data_root = tmp_path / 'cub'
    make_cub(str(data_root))
    config = tmp_path / 'stage1.py'
    config.write_text(CONFIG.format(model=MODEL, data_root=str(data_root)))
    torch.manual_seed(0)
    model = build_in_scope(MODEL, 'mmpretrain')
    # A positive bias keeps the untrained CAMs (ReLU outputs) non-zero.
    torch.nn.init.constant_(model.head.classifier.bias, 1.)
    checkpoint = tmp_path / 'stage1.pth'
    torch.save(dict(state_dict=model.state_dict(), meta=dict()), checkpoint)
    out = tmp_path / 'labels'

    _run(config, checkpoint, '--out', out, '--work-dir', tmp_path / 'work')
    train = [(img, cls, shape) for img, cls, is_train, shape, _ in CUB_IMAGES
             if is_train]
    img_ids = [cub_rel_path(img, cls) for img, cls, _ in train]
    # The config's hook settings are used; the test split is not labelled.
    check_pseudo_label_meta(
        str(out), dict(fg_thr=0.45, size=[256, 256]), img_ids)
    for img_id, (_, _, shape) in zip(img_ids, train):
        label = cv2.imread(
            str(out / (img_id[:-4] + '.png')), cv2.IMREAD_UNCHANGED)
        assert label.shape == shape  # the original image size
        assert set(np.unique(label)) <= {0, 1, 255}
        assert (label == 1).any()  # the CAM's maximum is foreground
    assert len(list(out.rglob('*.png'))) == 2

    log = _run(config, checkpoint, '--out', out, '--work-dir',
               tmp_path / 'work')
    assert '0 of 2 label(s)' in log
