"""WSOLVisualizer and its pixel maths: overlay colours, box pixels, files."""
import cv2
import numpy as np
import pytest
import torch
from mmengine.registry import DefaultScope
from mmengine.registry import VISUALIZERS as ROOT_VISUALIZERS
from mmpretrain.structures import DataSample

import spol_mm  # noqa: F401
from spol_mm.visualization import (WSOLVisualizer, blend, colorize_score_map,
                                   resize_score_map, score_map_overlay)
from spol_mm.visualization.wsol_visualizer import clip_boxes_for_drawing

GREEN, RED = (0, 255, 0), (255, 0, 0)
_count = [0]


def _visualizer(**kwargs) -> WSOLVisualizer:
    # Visualizer names are global in mmengine: one per test.
    _count[0] += 1
    return WSOLVisualizer(name=f'test_wsol_vis_{_count[0]}', **kwargs)


def test_jet_colours_of_the_score_range():
    colours = colorize_score_map(np.array([[0., 1., -3., 7.]]), 'jet')
    # OpenCV's jet from dark blue (0) to dark red (1), as RGB; clipped.
    assert colours[0].tolist() == [[0, 0, 128], [128, 0, 0], [0, 0, 128],
                                   [128, 0, 0]]
    with pytest.raises(ValueError, match='colormap'):
        colorize_score_map(np.zeros((2, 2)), 'rainbowish')


def test_blend_weights_and_rounds():
    image = np.full((2, 2, 3), 100, np.uint8)
    overlay = np.full((2, 2, 3), 201, np.uint8)
    assert (blend(image, overlay, 0.25) == 125).all()  # 75 + 50.25
    assert (blend(image, overlay, 0.) == image).all()
    with pytest.raises(ValueError, match='alpha'):
        blend(image, overlay, 1.5)
    with pytest.raises(ValueError, match='shape'):
        blend(image, overlay[:1], 0.5)


def test_overlay_resizes_the_map_to_the_image():
    image = np.zeros((8, 6, 3), np.uint8)
    score = torch.zeros(4, 3)
    score[:, 2] = 1.  # right column hot
    out = score_map_overlay(image, score, alpha=1.0)
    assert out.shape == (8, 6, 3)
    assert out[0, 0].tolist() == [0, 0, 128]  # cold: dark blue
    assert out[0, 5].tolist() == [128, 0, 0]  # hot: dark red
    assert resize_score_map(np.ones((3, 3), np.float32), (5, 4)).shape == \
        (5, 4)


def test_boxes_on_the_border_are_clipped_inside():
    out = clip_boxes_for_drawing(np.array([[-3, 0, 80, 60]]), (60, 80))
    assert out.tolist() == [[0, 0, 79, 59]]


def _sample(**fields) -> DataSample:
    sample = DataSample()
    for key, value in fields.items():
        sample.set_field(value, key)
    return sample


def test_draws_pred_and_gt_boxes_in_their_colours():
    vis = _visualizer(alpha=0.)  # no colours over the grey image
    image = np.full((60, 80, 3), 128, np.uint8)
    sample = _sample(score_map=torch.zeros(60, 80),
                     pred_bboxes=torch.tensor([[10., 20., 50., 40.]]))
    sample.set_metainfo(dict(gt_bboxes=np.array([[5., 5., 70., 55.]])))
    out = vis.draw_wsol(image, sample, draw_score=False)
    assert out.shape == (60, 80, 3)
    # Lines 3 px wide centred on the box edges.
    for y, x in ((30, 10), (30, 50), (20, 30), (40, 30)):
        assert tuple(out[y, x]) == GREEN, (y, x, out[y, x])
    for y, x in ((30, 5), (30, 70), (5, 40), (55, 40)):
        assert tuple(out[y, x]) == RED, (y, x, out[y, x])
    assert tuple(out[30, 30]) == (128, 128, 128)  # inside: untouched
    # Without GT / pred: no box pixels.
    plain = vis.draw_wsol(image, sample, draw_gt=False, draw_pred=False)
    assert (plain == 128).all()


def test_cam_sample_gets_the_box_of_its_score_map():
    vis = _visualizer(alpha=0., score_threshold=0.5)
    score = torch.zeros(40, 40)
    score[8:20, 10:30] = 1.  # box x 10..30, y 8..20
    out = vis.draw_wsol(np.zeros((40, 40, 3), np.uint8),
                        _sample(score_map=score))
    assert tuple(out[14, 10]) == GREEN and tuple(out[14, 30]) == GREEN
    assert tuple(out[8, 20]) == GREEN and tuple(out[20, 20]) == GREEN
    # An empty pred_bboxes (no foreground) draws no box.
    out = vis.draw_wsol(np.zeros((40, 40, 3), np.uint8),
                        _sample(score_map=score,
                                pred_bboxes=torch.zeros(0, 4)))
    assert not (out == np.array(GREEN)).all(-1).any()


def test_class_text_uses_names_and_scores():
    vis = _visualizer()
    sample = DataSample().set_pred_score(torch.tensor([.1, .7, .2]))
    sample.set_pred_label(1)
    assert vis._class_text(sample, ['a', 'b', 'c'], True) == 'b: 0.70'
    assert vis._class_text(sample, None, False) == '1'
    vis.dataset_meta = dict(classes=('x', 'y', 'z'))
    assert vis._class_text(sample, None, True) == 'y: 0.70'
    assert vis._class_text(DataSample(), None, True) is None


def test_add_datasample_writes_the_picture(tmp_path):
    vis = _visualizer(alpha=0.)
    sample = _sample(score_map=torch.zeros(30, 40),
                     pred_bboxes=torch.tensor([[5., 5., 20., 20.]]))
    sample.set_pred_score(torch.tensor([.3, .7])).set_pred_label(1)
    out_file = tmp_path / 'sub' / 'pic.png'
    vis.add_datasample('pic', np.zeros((30, 40, 3), np.uint8), sample,
                       out_file=str(out_file))
    written = cv2.imread(str(out_file))[..., ::-1]  # BGR file -> RGB
    assert written.shape == (30, 40, 3)
    assert tuple(written[20, 12]) == GREEN  # bottom edge (text at the top)


def test_visualize_cls_takes_the_hooks_bgr_input(tmp_path):
    """mmpretrain's VisualizationHook passes the BGR pipeline image."""
    vis = _visualizer()
    bgr = np.zeros((16, 16, 3), np.uint8)
    bgr[..., 0] = 255  # blue in BGR
    out = vis.visualize_cls(bgr, DataSample(), draw_pred=True, name='x',
                            out_file=str(tmp_path / 'x.png'), step=0,
                            show=False)
    assert tuple(out[8, 8]) == (0, 0, 255)  # blue in RGB
    assert (tmp_path / 'x.png').exists()


def test_registered_for_configs():
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        vis = ROOT_VISUALIZERS.build(
            dict(type='WSOLVisualizer', name='test_wsol_vis_registry',
                 alpha=0.3))
    assert isinstance(vis, WSOLVisualizer) and vis.alpha == 0.3
