"""tools/test.py --out-maps writes the protocol's layout; tools/eval_wsol.py
reads it back to exactly the numbers tools/test.py printed."""
import json
import os
import os.path as osp

import numpy as np
import pytest

from spol_mm.benchmarks.synthetic import write_synthetic_wsol
from spol_mm.datasets.wsol_metadata import load_wsol_metadata
from .runs import ROOT, ToolRun, run_all

CONFIG = osp.join(ROOT, 'configs', 'spol', 'trivial_box_synthetic.py')


def _export(data, out, metrics):
    return ToolRun('test.py', (
        CONFIG, '--work-dir', out + '_work', '--out-maps', out, '--out',
        metrics, '--cfg-options', f'test_dataloader.dataset.data_root={data}',
        'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False'))


def _eval(out, metadata, result, *extra):
    return ToolRun('eval_wsol.py', ('--scoremaps', out, '--metadata',
                                    metadata, '--out', result, '--workers',
                                    '1', '--no-progress', *extra))


@pytest.mark.slow
def test_exported_maps_evaluate_to_the_printed_numbers(tmp_path):
    data = str(tmp_path / 'data')
    write_synthetic_wsol(data, classes=2, train=2, test=6, size=64, seed=0)
    out, printed = str(tmp_path / 'maps'), str(tmp_path / 'test.json')
    logs = run_all([_export(data, out, printed)], str(tmp_path))
    assert '0 of 6 maps' in logs[0]
    with open(printed) as f:
        metrics = json.load(f)
    meta = load_wsol_metadata(osp.join(out, 'metadata'))
    assert len(meta['image_ids']) == 6 and meta['localization'] == 'boxes'
    for image_id in meta['image_ids']:
        score = np.load(osp.join(out, image_id + '.npy'))
        assert score.shape == (224, 224) and score.dtype == np.float32
        assert score.min() == 0 and score.max() == 1  # min-max normalised
        boxes = meta['boxes'][image_id]
        assert np.array_equal(boxes, np.round(boxes))  # whole pixels
    # the generated data has masks: their own folder, their own metadata
    masks = load_wsol_metadata(osp.join(out, 'metadata_masks'))
    assert masks['localization'] == 'masks'
    assert all(osp.isfile(osp.join(out, p))
               for paths in masks['mask_paths'].values() for p in paths)

    boxes, pixels = str(tmp_path / 'boxes.json'), str(tmp_path / 'px.json')
    run_all([
        _eval(out, osp.join(out, 'metadata'), boxes, '--multi-contour'),
        _eval(out, osp.join(out, 'metadata_masks'), pixels, '--mask-root',
              out)
    ], str(tmp_path))
    with open(boxes) as f, open(pixels) as g:
        offline = {**json.load(f), **{k: v for k, v in json.load(g).items()
                                      if k != 'num_images'}}
    assert offline == metrics
    assert {'MaxBoxAcc', 'MaxBoxAccV2', 'PxAP'} <= set(metrics)

    # The exported mask folder is a protocol data set (OpenImages-like):
    # the trivial box read through WSOLMetadataDataset gets the same PxAP.
    read_back = str(tmp_path / 'openimages.json')
    run_all([ToolRun('test.py', (
        osp.join(ROOT, 'configs', 'spol', 'trivial_box_openimages.py'),
        '--work-dir', str(tmp_path / 'oi'), '--out', read_back,
        '--cfg-options', f'test_dataloader.dataset.data_root={data}',
        'test_dataloader.dataset.metadata_root=' +
        osp.join(out, 'metadata_masks'),
        'test_dataloader.dataset.data_prefix=images',
        f'test_dataloader.dataset.mask_root={out}',
        'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False'))], str(tmp_path))
    with open(read_back) as f:
        assert json.load(f)['wsol/PxAP'] == pytest.approx(metrics['PxAP'],
                                                          abs=0.5)

    # maps of another model are not mixed in
    other = _export(data, out, str(tmp_path / 'x.json'))
    other = other._replace(args=other.args + ('model.score_threshold=0.5', ))
    with pytest.raises(AssertionError, match='holds maps of another model'):
        run_all([other], str(tmp_path))

    # resumable: only the missing map is predicted again, same numbers
    os.remove(osp.join(out, meta['image_ids'][0] + '.npy'))
    again = str(tmp_path / 'again.json')
    logs = run_all([_export(data, out, again)], str(tmp_path))
    assert '5 of 6 maps' in logs[0] and '1 to predict' in logs[0]
    with open(again) as f:
        assert json.load(f) == metrics
