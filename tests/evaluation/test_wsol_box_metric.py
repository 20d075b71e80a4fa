"""WSOLBoxMetric through mmengine's Evaluator, one hand-made image per case."""
import numpy as np
import pytest
import torch
from mmengine.evaluator import Evaluator
from mmpretrain.structures import DataSample

from spol_mm.evaluation import WSOLBoxMetric
from spol_mm.registry import METRICS


def sample(score_map, gt_bboxes=None, label=0, pred_score=None, **meta):
    s = DataSample()
    s.set_gt_label(label)
    img_shape = meta.pop('img_shape', tuple(np.shape(score_map)))
    s.set_metainfo(dict(img_shape=img_shape,
                        ori_shape=meta.pop('ori_shape', img_shape),
                        img_path=meta.pop('img_path', 'img.jpg'), **meta))
    if gt_bboxes is not None:
        s.set_metainfo(
            dict(gt_bboxes=np.asarray(gt_bboxes, np.float32).reshape(-1, 4)))
    if pred_score is not None:
        s.set_pred_score(torch.tensor(pred_score, dtype=torch.float32))
    s.set_field(torch.as_tensor(score_map, dtype=torch.float32), 'score_map')
    return s


def run(metric_cfg, samples):
    evaluator = Evaluator(METRICS.build(dict(type='WSOLBoxMetric',
                                             **metric_cfg)))
    evaluator.process(samples)
    return evaluator.evaluate(len(samples))


def square(size=(224, 224), box=(40, 40, 60, 60), value=1.0):
    m = np.zeros(size, np.float32)
    x0, y0, x1, y1 = box
    m[y0:y1, x0:x1] = value
    return m


def test_paper_metrics_exact_empty_and_topk():
    scores = [0.1, 0.6, 0.2, 0.05, 0.05]
    samples = [
        # exact box, label 1 ranked first
        sample(square(), [40, 40, 60, 60], 1, scores),
        # exact box, label 2 ranked second: top-1 wrong, top-5 right
        sample(square(), [40, 40, 60, 60], 2, scores),
        # nothing above 0.2: a miss, not skipped
        sample(np.full((224, 224), 0.2), [40, 40, 60, 60], 1, scores),
    ]
    out = run(dict(protocol=False), samples)
    assert out == {
        'wsol/GT-known Loc': pytest.approx(200 / 3),
        'wsol/Top-1 Loc': pytest.approx(100 / 3),
        'wsol/Top-5 Loc': pytest.approx(200 / 3),
    }


def test_map_smaller_than_the_input_is_resized():
    small = np.zeros((112, 112), np.float32)
    small[:, :56] = 1.0
    # bilinear x2: input columns 0..112 stay above 0.2 (col 112 = 0.25)
    s = sample(small, [0, 0, 113, 224], img_shape=(224, 224))
    out = run(dict(protocol=False, topk=()), [s])
    assert out == {'wsol/GT-known Loc': 100.0}


def _protocol_samples():
    a = np.zeros((224, 224), np.float32)
    a[20:100, 20:100] = 0.5
    a[40:60, 40:60] = 1.0  # right for t >= 0.50 (GT = the 1.0 square)
    b = np.zeros((224, 224), np.float32)
    b[10:151, 10:151] = 0.62
    b[70:81, 70:81] = 1.0  # right for t <= 0.61 (GT = the 0.62 square)
    ring = np.zeros((224, 224), np.float32)
    ring[20:80, 20:80] = 1.0
    ring[30:70, 30:70] = 0.0  # GT = the hole's border box
    # originals twice as large: int(2x * 224 / 448) = x
    return [
        sample(a, ori_shape=(448, 448),
               ori_gt_bboxes=np.float32([[80, 80, 120, 120]]),
               gt_bboxes=np.float32([[40, 40, 60, 60]])),
        sample(b[:, ::-1].copy(), ori_shape=(448, 448), flip=True,
               flip_direction='horizontal',
               ori_gt_bboxes=np.float32([[20, 20, 302, 302]]),
               gt_bboxes=np.float32([[73, 10, 214, 151]])),
        sample(ring, ori_shape=(448, 448),
               ori_gt_bboxes=np.float32([[58, 58, 142, 142]]),
               gt_bboxes=np.float32([[29, 29, 71, 71]])),
    ]


def test_protocol_metrics_by_construction():
    out = run(dict(topk=(), protocol=True), _protocol_samples())
    # largest contour: a and b right on t in [0.50, 0.61], the ring's outer
    # box never reaches IoU 0.5 (0.497): 2 / 3
    assert out['wsol/MaxBoxAcc'] == pytest.approx(200 / 3)
    # every contour: the ring's hole box matches; all three from t = 0.50
    for iou in (30, 50, 70):
        assert out[f'wsol/MaxBoxAcc@{iou}'] == 100.0
        assert out[f'wsol/best_threshold@{iou}'] == pytest.approx(0.5)
    assert out['wsol/MaxBoxAccV2'] == 100.0
    assert 'wsol/PxAP' not in out

    single = run(dict(topk=(), multi_contour=False), _protocol_samples())
    assert 'wsol/MaxBoxAccV2' not in single
    assert single['wsol/MaxBoxAcc@50'] == pytest.approx(200 / 3)
    # at IoU 30 the ring's outer box (0.497) is right too
    assert single['wsol/MaxBoxAcc@30'] == 100.0


def test_pxap_from_gt_mask():
    m = np.zeros((224, 224), np.float32)
    m[:, :112] = 1.0
    s = sample(m, [0, 0, 112, 224], ori_gt_bboxes=np.float32([[0, 0, 112,
                                                               224]]))
    mask = np.zeros((224, 224), np.uint8)
    mask[:, :112] = 1
    s.set_field(torch.from_numpy(mask), 'gt_mask')
    out = run(dict(topk=()), [s])
    assert out['wsol/PxAP'] == pytest.approx(100.0)


def test_cropped_pipeline():
    crop = dict(ori_shape=(224, 224), scale_factor=(256 / 224, 256 / 224),
                crop_bbox=np.array([16, 16, 240, 240]),
                ori_gt_bboxes=np.float32([[40, 40, 60, 60]]))
    s = sample(square(), [40, 40, 60, 60], **crop)
    with pytest.raises(ValueError, match='img.jpg was cropped'):
        run(dict(topk=(), protocol=True), [s])
    auto = run(dict(topk=()), [sample(square(), [40, 40, 60, 60], **crop)])
    assert auto == {'wsol/GT-known Loc': 100.0}
    pasted = run(dict(topk=(), protocol_crop='paste'),
                 [sample(square(), [40, 40, 60, 60], **crop)])
    assert 'wsol/MaxBoxAcc' in pasted
    # a crop that keeps the whole resized image is no crop
    full = dict(crop, crop_bbox=np.array([0, 0, 256, 256]))
    kept = run(dict(topk=(), protocol=True),
               [sample(square(), [40, 40, 60, 60], **full)])
    assert 'wsol/MaxBoxAcc' in kept


def test_options_and_missing_score_map():
    with pytest.raises(ValueError, match='iou_compare'):
        WSOLBoxMetric(iou_compare='=>')
    with pytest.raises(ValueError, match='protocol'):
        WSOLBoxMetric(protocol='yes')
    s = DataSample(metainfo=dict(img_path='x.jpg'))
    metric = WSOLBoxMetric()
    with pytest.raises(KeyError, match='x.jpg has no "score_map"'):
        metric.process({}, [s.to_dict()])
    # '>=' accepts IoU exactly 0.5: box 10x10 against a GT of 20x10
    m = square((12, 24), (0, 0, 10, 10))
    strict = run(dict(protocol=False, topk=()), [sample(m, [0, 0, 20, 10])])
    loose = run(dict(protocol=False, topk=(), iou_compare='>='),
                [sample(m, [0, 0, 20, 10])])
    assert strict['wsol/GT-known Loc'] == 0.0
    assert loose['wsol/GT-known Loc'] == 100.0


def _sweep_samples():
    """Three images whose verdicts change with the threshold."""
    scores = [0.1, 0.6, 0.2, 0.05, 0.05]
    a = np.zeros((224, 224), np.float32)
    a[20:180, 20:180] = 0.3
    a[40:60, 40:60] = 1.0  # GT = the 1.0 square: right for t >= 0.3
    b = np.zeros((224, 224), np.float32)
    b[10:150, 10:150] = 0.6
    b[70:80, 70:80] = 1.0  # GT = the 0.6 square: right for t < 0.6
    return [
        sample(a, [40, 40, 60, 60], 1, scores),  # label ranked first
        sample(b, [10, 10, 150, 150], 2, scores),  # label ranked second
        sample(np.zeros((224, 224)), [0, 0, 10, 10], 1, scores),  # no box
    ]


def test_threshold_sweep_equals_a_run_per_threshold():
    sweep = (0.1, 0.25, 0.35, 0.55, 0.65, 0.95)
    out = run(dict(protocol=False, threshold_sweep=sweep[::-1] + (0.1, )),
              _sweep_samples())
    # the metrics at score_threshold are unchanged
    plain = run(dict(protocol=False), _sweep_samples())
    assert {k: v for k, v in out.items() if '@' not in k} == plain
    for t in sweep:
        at_t = run(dict(protocol=False, score_threshold=t), _sweep_samples())
        assert {k + f'@{t:.2f}': v for k, v in at_t.items()} == {
            k: v for k, v in out.items() if k.endswith(f'@{t:.2f}')}
    assert len(out) == len(plain) * (1 + len(sweep))
    # by construction: b alone below 0.3, both in [0.3, 0.6), a alone above
    third = 100 / 3
    assert [out[f'wsol/GT-known Loc@{t:.2f}'] for t in sweep] == pytest.approx(
        [third, third, 2 * third, 2 * third, third, third])
    assert [out[f'wsol/Top-1 Loc@{t:.2f}'] for t in sweep] == pytest.approx(
        [0.0, 0.0, third, third, third, third])
    assert out['wsol/Top-5 Loc@0.10'] == pytest.approx(third)


def test_threshold_sweep_per_sample_and_without_scores():
    metric = WSOLBoxMetric(protocol=False, threshold_sweep=[0.25, 0.35])
    metric.process({}, [s.to_dict() for s in _sweep_samples()])
    assert [r['sweep'] for r in metric.results] == [(False, True),
                                                    (True, True),
                                                    (False, False)]
    # no pred_score: only GT-known Loc, at score_threshold and swept
    samples = [sample(square(), [40, 40, 60, 60])]
    out = run(dict(protocol=False, threshold_sweep=[0.5]), samples)
    assert out == {
        'wsol/GT-known Loc': 100.0,
        'wsol/GT-known Loc@0.50': 100.0
    }


@pytest.mark.parametrize('sweep, match', [
    ([], 'at least one'),
    ([0.2, 1.0], r'in \[0, 1\)'),
    ([-0.1], r'in \[0, 1\)'),
    ([float('nan')], r'in \[0, 1\)'),
    (['x'], 'must be a number'),
    (0.5, 'must be a sequence'),
    ('0.5', 'must be a sequence'),
    ([0.2, 0.201], 'at most two decimals'),
])
def test_threshold_sweep_checks(sweep, match):
    with pytest.raises(ValueError, match=match):
        WSOLBoxMetric(threshold_sweep=sweep)
