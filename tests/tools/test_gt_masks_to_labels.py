"""tools/dataset_converters/gt_masks_to_labels.py on a generated CUB folder."""
import importlib.util
import os
import os.path as osp
import subprocess
import sys

import pytest
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmseg.registry import DATASETS

from spol_mm.benchmarks.synthetic import write_synthetic_wsol
from spol_mm.pseudo_label import read_pseudo_label_meta

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = osp.join(ROOT, 'tools', 'dataset_converters', 'gt_masks_to_labels.py')
GT_CONFIG = osp.join(ROOT, 'configs', 'spol',
                     'mffnet2_lite0-gt-masks_8e_synthetic.py')
STAGE1 = osp.join(ROOT, 'configs', 'spol', 'mffnet1_lite0_8e_synthetic.py')


def _tool():
    spec = importlib.util.spec_from_file_location('gt_masks_to_labels', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def data(tmp_path):
    root = str(tmp_path / 'data')
    write_synthetic_wsol(root, classes=2, train=6, test=2, size=32, seed=0)
    return root


def _stage2(data, labels):
    """The upper-bound config's training set on ``data`` and ``labels``."""
    dataset = dict(Config.fromfile(GT_CONFIG).train_dataloader.dataset)
    dataset.update(data_root=data, seg_map_root=labels)
    with DefaultScope.overwrite_default_scope('mmseg'):
        return DATASETS.build(dataset)


def test_writes_to_the_configs_seg_map_root(data, tmp_path):
    labels = str(tmp_path / 'gt_labels')
    _tool().main([
        GT_CONFIG, '--size', '16', '--cfg-options',
        f'train_dataloader.dataset.data_root={data}',
        f'train_dataloader.dataset.seg_map_root={labels}'
    ])
    meta = read_pseudo_label_meta(labels)
    assert meta['complete'] and meta['params']['source'] == 'gt_mask'
    assert meta['params']['size'] == [16, 16]
    assert meta['config'] == GT_CONFIG
    stage2 = _stage2(data, labels)  # its meta check passes
    assert len(stage2) == meta['num_images'] == 4  # without the val images
    for i in range(len(stage2)):
        assert osp.isfile(stage2.get_data_info(i)['seg_map_path'])


def test_stage_1_config_with_out_labels_the_same_images(data, tmp_path):
    labels = str(tmp_path / 'labels')
    tool = _tool()
    with pytest.raises(SystemExit, match='no seg_map_root; give --out'):
        tool.main([STAGE1, '--cfg-options',
                   f'train_dataloader.dataset.data_root={data}'])
    tool.main([STAGE1, '--out', labels, '--size', '8', '12', '--threads',
               '0', '--cfg-options',
               f'train_dataloader.dataset.data_root={data}'])
    assert read_pseudo_label_meta(labels)['params']['size'] == [8, 12]
    _stage2(data, labels)


def test_size_takes_one_or_two_sides():
    with pytest.raises(SystemExit):
        _tool().parse_args([GT_CONFIG, '--size', '1', '2', '3'])
    assert _tool().label_size([7]) == (7, 7)


@pytest.mark.slow
def test_cli_names_the_image_whose_mask_is_missing(data, tmp_path):
    with open(osp.join(data, 'images.txt')) as f:
        img_id = f.readline().split()[1]
    os.remove(osp.join(data, 'segmentations', img_id[:-4] + '.png'))
    proc = subprocess.run(
        [sys.executable, TOOL, GT_CONFIG, '--out', str(tmp_path / 'out'),
         '--cfg-options', f'train_dataloader.dataset.data_root={data}'],
        capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode != 0
    # The dataset's own file check names it first.
    assert f'GT mask of id {img_id} not found' in proc.stderr, \
        proc.stderr[-3000:]
