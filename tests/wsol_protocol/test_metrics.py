"""The WSOL protocol's MaxBoxAcc / MaxBoxAccV2 / PxAP conventions.

Hand-computed cases, and the fast implementation against the
straightforward one-threshold-at-a-time version.
"""
import cv2
import numpy as np
import pytest

from spol_mm.benchmarks.score_maps import (blob_maps, boxes_near_peaks,
                                           noisy_maps)
from wsol_protocol import _boxpass
from wsol_protocol.metrics import (box_best_ious, box_best_ious_both,
                                   box_best_ious_reference, box_correct,
                                   boxes_at_thresholds_reference,
                                   check_score_map, max_box_acc,
                                   mean_max_box_acc, pixel_shares,
                                   protocol_thresholds, pxap, pxap_histograms,
                                   quantize_score_map, summarize_box_counts)

THR = protocol_thresholds()
HAVE_VBMI = _boxpass.vbmi()


@pytest.fixture(params=['vbmi', 'portable'])
def banding(request):
    """Run a test with the pass's AVX-512 VBMI banding (where the CPU has
    it) and with the portable one."""
    if request.param == 'vbmi' and not HAVE_VBMI:
        pytest.skip('the CPU has no AVX-512 VBMI')
    _boxpass.vbmi(request.param == 'vbmi')
    yield request.param
    _boxpass.vbmi(True)


def _ring_map():
    m = np.zeros((224, 224))
    m[20:80, 20:80] = 1.0
    m[30:70, 30:70] = 0.0
    return m


def test_quantisation_and_threshold_grid():
    assert len(THR) == 100 and THR[0] == 0 and THR[-1] == pytest.approx(.99)
    # truncation, in float64: 0.5 * 255 = 127.5 -> 127
    np.testing.assert_array_equal(
        quantize_score_map(np.array([[0.0, 0.5, 1.0, 0.999]])),
        [[0, 127, 255, 254]])


def test_boxes_are_clipped_and_empty_map_gives_zero_box():
    m = np.zeros((10, 12))
    m[2:10, 3:12] = 1.0  # touches the bottom / right border
    # boundingRect x=3, w=9 -> x + w = 12 -> clipped to W - 1 = 11
    boxes = boxes_at_thresholds_reference(m, [0.5])
    np.testing.assert_array_equal(boxes[0], [[3, 2, 11, 9]])
    empty = boxes_at_thresholds_reference(np.zeros((10, 12)), [0.0, 0.5])
    np.testing.assert_array_equal(empty[0], [[0, 0, 0, 0]])


def test_hole_contour_counts_in_multi_contour():
    # a square ring: outer box [20, 20, 80, 80], the hole's border box
    # [29, 29, 71, 71]; the GT is that hole box.
    gt = [[29, 29, 71, 71]]
    multi = box_best_ious(_ring_map(), gt, THR, multi_contour=True)
    single = box_best_ious(_ring_map(), gt, THR, multi_contour=False)
    np.testing.assert_array_equal(multi, np.ones(100))
    # +1 IoU of the outer box: inter 43*43 = 1849 over 61*61 = 3721
    np.testing.assert_allclose(single, np.full(100, 1849 / 3721))
    single_ok = box_correct(single, (30, 50, 70)).sum(axis=1)
    multi_ok = box_correct(multi, (30, 50, 70)).sum(axis=1)
    assert single_ok.tolist() == [100, 0, 0]
    assert multi_ok.tolist() == [100, 100, 100]


def _two_image_dataset():
    """Image 1 is right for t >= 0.50, image 2 for t <= 0.61."""
    a = np.zeros((224, 224))
    a[20:100, 20:100] = 0.5  # u8 127: above int(t * 255) iff t <= 0.49
    a[40:60, 40:60] = 1.0
    b = np.zeros((224, 224))
    b[10:151, 10:151] = 0.62  # u8 158: above int(t * 255) iff t <= 0.61
    b[70:81, 70:81] = 1.0
    return [(a, [[40, 40, 60, 60]]), (b, [[10, 10, 151, 151]])]


def test_max_box_acc_best_threshold_by_construction():
    data = _two_image_dataset()
    correct = sum(
        box_correct(box_best_ious(m, gt, THR), (50, )) for m, gt in data)
    expected = np.zeros(100, dtype=int)
    expected[:50] += 0  # image 1 wrong below 0.50 (box of the 0.5 square)
    expected[50:] += 1
    expected[:62] += 1  # image 2 right up to 0.61
    np.testing.assert_array_equal(correct[0], expected)
    acc, best = max_box_acc(correct, 2, THR)
    assert acc.tolist() == [100.0]
    assert best[0] == pytest.approx(0.50)
    out = summarize_box_counts(correct, 2, THR, (50, ))
    assert out == {'MaxBoxAcc@50': 100.0,
                   'best_threshold@50': pytest.approx(0.5)}
    # V2 averages the maxima of each IoU threshold
    counts = np.array([[2] * 100, [1] * 100, [0] * 99 + [1]])
    assert mean_max_box_acc(counts, 2, THR) == pytest.approx(
        (100 + 50 + 50) / 3)


def _structured_maps(rng):
    yield np.zeros((7, 9))
    yield np.full((6, 6), 0.7)
    yield np.ones((5, 8))
    board = np.indices((9, 9)).sum(axis=0) % 2 * 1.0
    yield board  # diagonal 8-connections everywhere
    nested = np.zeros((16, 16))
    for i, v in enumerate((0.2, 0.5, 0.8, 1.0)):
        nested[2 * i:16 - 2 * i, 2 * i:16 - 2 * i] = v
    nested[7:9, 7:9] = 0.0  # a hole in the top level
    yield nested
    yield cv2.resize(_ring_map(), (40, 40), interpolation=cv2.INTER_NEAREST)
    two = np.zeros((12, 20))
    two[1:5, 1:5] = 1.0
    two[6:10, 12:16] = 1.0  # two equal squares: ties on the largest area
    yield two
    for _ in range(60):
        h, w = rng.integers(1, 24, size=2)
        kind = rng.integers(0, 3)
        if kind == 0:
            yield rng.random((h, w))
        elif kind == 1:
            yield rng.integers(0, 4, (h, w)) / 3.0
        else:
            yield (rng.random((h, w)) > 0.5) * 0.99


def _random_gt(rng, h, w):
    boxes = []
    for _ in range(rng.integers(1, 4)):
        x0, x1 = np.sort(rng.integers(0, w, 2))
        y0, y1 = np.sort(rng.integers(0, h, 2))
        boxes.append([x0, y0, x1, y1])
    return np.array(boxes)


def test_fast_equals_straightforward_on_small_maps(banding):
    rng = np.random.default_rng(0)
    for m in _structured_maps(rng):
        gt = _random_gt(rng, *m.shape)
        both = box_best_ious_both(m, gt, THR)
        for multi, key in ((False, 'single'), (True, 'multi')):
            ref = box_best_ious_reference(m, gt, THR, multi)
            np.testing.assert_array_equal(both[key], ref)
            np.testing.assert_array_equal(box_best_ious(m, gt, THR, multi),
                                          ref)


def test_fast_equals_straightforward_on_224_maps(banding):
    rng = np.random.default_rng(1)
    for grid in (5, 14, 40):
        m = cv2.resize(
            rng.random((grid, grid)).astype(np.float32), (224, 224))
        m = (m - m.min()) / (m.max() - m.min())
        gt = _random_gt(rng, 224, 224)
        both = box_best_ious_both(m, gt, THR)
        np.testing.assert_array_equal(both['single'],
                                      box_best_ious_reference(m, gt, THR))
        np.testing.assert_array_equal(
            both['multi'], box_best_ious_reference(m, gt, THR, True))
    # a map whose maximum is small: many thresholds share one mask
    m = rng.random((30, 30)) * 0.05
    gt = _random_gt(rng, 30, 30)
    np.testing.assert_array_equal(
        box_best_ious(m, gt, THR, True),
        box_best_ious_reference(m, gt, THR, True))


def _assert_fast_equals_reference(m, gt):
    both = box_best_ious_both(m, gt, THR)
    np.testing.assert_array_equal(both['single'],
                                  box_best_ious_reference(m, gt, THR))
    np.testing.assert_array_equal(both['multi'],
                                  box_best_ious_reference(m, gt, THR, True))


@pytest.mark.parametrize('kind', ['blobs', 'noisy', 'cams'])
def test_fast_equals_straightforward_on_benchmark_kinds(kind, banding):
    """The evaluator benchmark's map kinds (a few maps each): smooth blobs,
    blobs under pixel noise (many regions with holes at every level, where
    the largest contour needs the traced area), and CAMs: ReLU'd coarse
    maps upsampled bilinearly as networks' CAMs are (the benchmark itself
    uses exported ones)."""
    rng = np.random.default_rng(3)
    if kind == 'blobs':
        maps = blob_maps(3, seed=3)
        boxes = boxes_near_peaks(maps, seed=3)
    elif kind == 'noisy':
        maps, boxes = noisy_maps(4, seed=3, noise=0.1)
        strong, more = noisy_maps(2, seed=4, noise=0.4)
        maps, boxes = np.concatenate([maps, strong]), boxes + more
    else:
        maps, boxes = [], []
        for grid in (7, 14, 28):
            low = np.maximum(rng.normal(size=(grid, grid)), 0).astype(
                np.float32)
            m = cv2.resize(low, (224, 224), interpolation=cv2.INTER_LINEAR)
            maps.append(m / m.max())
            boxes.append(_random_gt(rng, 224, 224))
    for m, gt in zip(maps, boxes):
        _assert_fast_equals_reference(m, gt)


@pytest.mark.skipif(not HAVE_VBMI, reason='the CPU has no AVX-512 VBMI')
def test_vbmi_banding_equals_portable_across_widths():
    """Rows of every length around the 64-pixel steps, with runs that
    cross them."""
    rng = np.random.default_rng(9)
    for w in (1, 2, 63, 64, 65, 127, 128, 129, 200):
        m = cv2.GaussianBlur(rng.random((9, w)), (0, 0), 1.0)
        m = np.where(rng.random((9, w)) < 0.2, 0.0, m / m.max())
        gt = _random_gt(rng, 9, w)
        outs = []
        try:
            for on in (True, False):
                _boxpass.vbmi(on)
                outs.append(box_best_ious_both(m, gt, THR))
        finally:
            _boxpass.vbmi(True)
        for key in ('single', 'multi'):
            np.testing.assert_array_equal(outs[0][key], outs[1][key])


def test_largest_contour_of_regions_with_holes():
    """Regions with holes, whose contour areas the one-pass search has to
    trace: a pierced square beside a solid one of nearly its size, rings of
    equal area (ties), a hole holding an island."""
    m = np.zeros((40, 60))
    m[2:20, 2:20] = 1.0
    m[5:17:3, 5:17:3] = 0.0  # pinholes: area barely below 18 x 18
    m[22:39, 2:20] = 0.9  # solid, 17 x 18: above the cells, below 18 x 18
    m[2:12, 30:40] = 0.8
    m[4:10, 32:38] = 0.0
    m[6:8, 34:36] = 0.8  # an island in the ring's hole
    m[2:12, 45:55] = 0.8
    m[4:10, 47:53] = 0.0  # an equal ring: a tie
    for gt in ([[2, 2, 19, 19]], [[2, 22, 19, 38]], [[30, 2, 39, 11]],
               [[45, 2, 54, 11]]):
        _assert_fast_equals_reference(m, gt)


def test_pxap_hand_computed():
    scores = np.array([[0.9, 0.6], [0.3, 0.0]])
    mask = np.array([[1, 0], [1, 0]])
    true_hist, false_hist = pxap_histograms(scores, mask, THR)
    assert true_hist.sum() == 2 and false_hist.sum() == 2
    assert true_hist[90] == 1 and true_hist[30] == 1
    # from the top: 0.9 (P 1, R .5), 0.6 (P .5, R .5), 0.3 (P 2/3, R 1),
    # 0.0 (P .5, R 1): AP = 1 * .5 + 2/3 * .5
    assert pxap(true_hist, false_hist) == pytest.approx(
        (0.5 + 0.5 * 2 / 3) * 100)
    # ignored pixels (255) count nowhere; a score of 1.0 lands in [1, 2)
    t2, f2 = pxap_histograms(np.array([[1.0, 0.5]]), np.array([[1, 255]]),
                             THR)
    assert t2[100] == 1 and t2.sum() == 1 and f2.sum() == 0
    with pytest.raises(ValueError, match='positive'):
        pxap(np.zeros(102), np.ones(102))


def test_pixel_shares_hand_computed():
    # 8 counted pixels, 2 of them object; scores >= 0.2 on 4, >= 0.5 on 1.
    scores = np.array([[0.9, 0.3, 0.2, 0.25], [0.1, 0.0, 0.19, 0.0],
                       [0.7, 0.7, 0.7, 0.7]])
    mask = np.array([[1, 1, 0, 0], [0, 0, 0, 0], [255, 255, 255, 255]])
    true_hist, false_hist = pxap_histograms(scores, mask, THR)
    assert pixel_shares(true_hist, false_hist, THR, (0.2, 0.5)) == {
        'fg share@0.20': pytest.approx(50.), 'fg share@0.50': 12.5,
        'object share': 25.}
    assert pixel_shares(np.zeros(102), np.zeros(102), THR, (0.2, )) == {}


@pytest.mark.parametrize('bad, message', [
    (np.full((3, 3), np.nan), 'NaN'),
    (np.full((3, 3), 1.5), r'\[0, 1\]'),
    (np.full((3, 3), -0.1), r'\[0, 1\]'),
    (np.zeros((2, 3, 3)), '2-D'),
    (np.zeros((3, 3), dtype=bool), 'real numbers'),
])
def test_check_score_map_errors(bad, message):
    with pytest.raises((ValueError, TypeError), match=message):
        check_score_map(bad, 'my_map.npy')
    with pytest.raises((ValueError, TypeError), match='my_map.npy'):
        check_score_map(bad, 'my_map.npy')


def test_fast_equals_straightforward_on_other_thresholds():
    """Threshold lists that are unsorted, repeat a level or are coarse: the
    compiled pass maps each threshold to its level itself."""
    rng = np.random.default_rng(5)
    lists = [THR[::-1], np.repeat(THR[::10], 2), rng.random(7) * 0.999,
             np.array([0.0]), np.arange(0, 1, 0.001)]
    for thresholds in lists:
        for m in list(_structured_maps(rng))[:25]:
            gt = _random_gt(rng, *m.shape)
            both = box_best_ious_both(m, gt, thresholds)
            for multi, key in ((False, 'single'), (True, 'multi')):
                np.testing.assert_array_equal(
                    both[key],
                    box_best_ious_reference(m, gt, thresholds, multi))


@pytest.mark.parametrize('bad, message', [
    (np.full((3, 3), np.nan), 'NaN'),
    (np.full((3, 3), 1.5), r'\[0, 1\]'),
    (np.full((3, 3), -0.1), r'\[0, 1\]'),
    (np.zeros((32768, 1)), '1 to 32767 pixels high and wide'),
])
def test_fast_search_rejects_bad_maps(bad, message):
    with pytest.raises(ValueError, match=message):
        box_best_ious_both(bad, [[0, 0, 1, 1]])
    # -0.0 is in [0, 1]
    box_best_ious_both(np.full((3, 3), -0.0), [[0, 0, 1, 1]])


@pytest.mark.parametrize('thresholds', [[-0.1, 0.5], [0.5, 1.0], []])
def test_fast_search_rejects_bad_thresholds(thresholds):
    with pytest.raises(ValueError, match='thresholds'):
        box_best_ious_both(np.zeros((4, 4)), [[0, 0, 1, 1]], thresholds)


def test_fast_search_from_threads():
    """The pass runs without the GIL; its workspace is taken under it."""
    from concurrent.futures import ThreadPoolExecutor
    maps = blob_maps(4, size=64, seed=6)
    boxes = boxes_near_peaks(maps, seed=6)
    alone = [box_best_ious_both(m, b) for m, b in zip(maps, boxes)]
    with ThreadPoolExecutor(4) as pool:
        together = list(
            pool.map(lambda i: box_best_ious_both(maps[i % 4], boxes[i % 4]),
                     range(32)))
    for i, out in enumerate(together):
        for key in ('single', 'multi'):
            np.testing.assert_array_equal(out[key], alone[i % 4][key])


def _random_small_maps(rng, num):
    """Small maps of six kinds: few-valued, uniform, blurred, binary, one
    lit pixel, clipped normal (sizes 1-39)."""
    for i in range(num):
        h, w = rng.integers(1, 40, 2)
        kind = i % 6
        if kind == 0:
            m = rng.integers(0, 4, (h, w)) / 3.0
        elif kind == 1:
            m = rng.random((h, w))
        elif kind == 2:
            m = cv2.GaussianBlur(rng.random((h, w)), (0, 0), 1.5)
            m = m / m.max()
        elif kind == 3:
            m = (rng.random((h, w)) < 0.5) * rng.random()
        elif kind == 4:
            m = np.zeros((h, w))
            m[rng.integers(0, h), rng.integers(0, w)] = 1.0
        else:
            m = np.clip(rng.normal(0.5, 0.3, (h, w)), 0, 1)
        yield m


def test_fast_equals_straightforward_on_random_small_maps(banding):
    rng = np.random.default_rng(8)
    for m in _random_small_maps(rng, 240):
        gt = _random_gt(rng, *m.shape)
        thresholds = THR if rng.random() < 0.7 else rng.random(9) * 0.999
        both = box_best_ious_both(m, gt, thresholds)
        for multi, key in ((False, 'single'), (True, 'multi')):
            np.testing.assert_array_equal(
                both[key], box_best_ious_reference(m, gt, thresholds, multi))
