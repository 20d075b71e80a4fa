"""WSOLInferencer: boxes and maps back in the original image, classes,
checkpoints, pictures (the frame mapping itself: tests/structures)."""
import os.path as osp

import cv2
import numpy as np
import pytest
import torch

from spol_mm.apis import WSOLInferencer, inference_pipeline, topk_classes
from spol_mm.structures import boxes_to_original, largest_region_box
from tests.apis import tiny

# The user's image: 200 wide, 100 high. The tiny pipeline resizes it to
# 40x40 (scale 0.2, 0.4), then (unless whole_image) centre-crops 32x32 at
# x, y = 4, 4 of the resized image.
ORI_H, ORI_W = 100, 200


@pytest.fixture
def image_file(tmp_path):
    img = np.random.RandomState(0).randint(0, 255, (ORI_H, ORI_W, 3))
    path = tmp_path / 'bird.png'
    cv2.imwrite(str(path), img.astype(np.uint8))
    return str(path)


def _hand_made_segmentor(inferencer):
    """Logits of a hand-made mask: a 4x5 block at x 3..8, y 10..14 of the
    network input (and a 1-pixel speck that the largest region skips)."""

    def forward(inputs, mode):
        logits = torch.full((inputs.shape[0], 1, *inputs.shape[-2:]), -5.)
        logits[..., 10:14, 3:8] = 5.
        logits[..., 25, 25] = 5.
        return logits

    inferencer.model.segmentor.forward = forward


# ------------------------------------------------------ pure mapping ----
def test_inference_pipeline_drops_loading_and_crop():
    pipeline = tiny.test_pipeline()
    kept = [t['type'] for t in inference_pipeline(pipeline)]
    assert kept == ['Resize', 'PackWSOLInputs']
    kept = [t['type'] for t in inference_pipeline(pipeline, False)]
    assert kept == ['Resize', 'WSOLCenterCrop', 'PackWSOLInputs']
    # mmcv's CenterCrop does not say where it cropped: swapped.
    plain = [dict(type='Resize', scale=(8, 8)),
             dict(type='CenterCrop', crop_size=4)]
    assert inference_pipeline(plain, False)[1]['type'] == 'WSOLCenterCrop'
    assert plain[1]['type'] == 'CenterCrop'  # the config is left alone


def test_topk_is_best_first():
    assert topk_classes(np.array([.1, .5, .2, .9]), 3) == [3, 1, 2]


# ---------------------------------------------------- the inferencer ----
@pytest.mark.parametrize('whole_image, expected', [
    (True, [15., 25., 40., 35.]),   # input 40x40: box / (0.2, 0.4)
    (False, [35., 35., 60., 45.]),  # input 32x32: (box + 4) / (0.2, 0.4)
])
def test_box_of_hand_made_mask_in_original_pixels(image_file, whole_image,
                                                  expected):
    inferencer = WSOLInferencer(tiny.spol_config(classifier=False),
                                device='cpu', whole_image=whole_image)
    _hand_made_segmentor(inferencer)
    result = inferencer(image_file)[0]
    assert result['bbox'] == expected
    assert result['score_map'].shape == (ORI_H, ORI_W)
    assert result['ori_shape'] == (ORI_H, ORI_W)
    assert 'pred_label' not in result  # class-agnostic localizer
    # The map is high on the box, low elsewhere (0 outside a crop).
    x0, y0, x1, y1 = (int(v) for v in expected)
    assert result['score_map'][(y0 + y1) // 2, (x0 + x1) // 2] > 0.9
    assert result['score_map'][95, 190] < 0.01


def test_random_weights_checkpoint_classes_and_pictures(tmp_path,
                                                        image_file):
    cfg = tiny.spol_config()
    ckpt = str(tmp_path / 'tiny.pth')
    names = [f'class_{i}' for i in range(tiny.NUM_CLASSES)]
    state = tiny.save_random_checkpoint(cfg, ckpt, classes=names)
    inferencer = WSOLInferencer(cfg, weights=ckpt, device='cpu')
    for key, value in inferencer.model.state_dict().items():
        torch.testing.assert_close(value, state[key])
    array = cv2.imread(image_file)  # BGR, as cv2 / mmcv read it
    results = inferencer([image_file, array], show_dir=str(tmp_path / 'vis'))
    assert len(results) == 2
    for result in results:
        assert len(result['topk_labels']) == 5
        assert result['topk_scores'] == sorted(result['topk_scores'],
                                               reverse=True)
        assert result['pred_label'] == result['topk_labels'][0]
        assert result['pred_class'] == names[result['pred_label']]
        assert result['topk_classes'] == [names[i]
                                          for i in result['topk_labels']]
        x0, y0, x1, y1 = result['bbox']
        assert 0 <= x0 <= x1 <= ORI_W and 0 <= y0 <= y1 <= ORI_H
        picture = cv2.imread(result['vis_file'])
        assert picture.shape == (ORI_H, ORI_W, 3)
    assert results[0]['img_path'] == image_file
    assert results[0]['vis_file'].endswith('bird.png')
    # The file and the same pixels as an array give the same answer.
    np.testing.assert_allclose(results[0]['topk_scores'],
                               results[1]['topk_scores'], rtol=1e-5)
    assert results[0]['bbox'] == results[1]['bbox']


def test_cam_classifier_box_from_the_predicted_class(tmp_path, image_file):
    cfg = tiny.cam_config()
    ckpt = str(tmp_path / 'cam.pth')
    tiny.save_random_checkpoint(cfg, ckpt, seed=3)
    inferencer = WSOLInferencer(cfg, weights=ckpt, device='cpu',
                                score_threshold=0.5)
    assert inferencer.model.head.attach_cam == 'pred'
    sample = inferencer(image_file, return_datasamples=True)[0]
    expected = largest_region_box(sample.score_map.numpy(), 0.5)
    np.testing.assert_allclose(sample.pred_bboxes.numpy().reshape(-1),
                               expected)
    result = inferencer(image_file, topk=3)[0]
    np.testing.assert_allclose(
        result['bbox'],
        boxes_to_original(expected[None], sample.metainfo)[0])
    assert len(result['topk_labels']) == 3
    assert 'pred_class' not in result  # no class names anywhere


def test_score_threshold_comes_from_the_config():
    assert WSOLInferencer(tiny.cam_config(), device='cpu').score_threshold \
        == 0.2
    cfg = tiny.spol_config(classifier=False)
    cfg.model.score_threshold = 0.35
    assert WSOLInferencer(cfg, device='cpu').score_threshold == 0.35


def test_bad_inputs_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match='no_such.py'):
        WSOLInferencer(str(tmp_path / 'no_such.py'))
    cfg = tiny.cam_config()
    cfg.model.head = dict(type='LinearClsHead', num_classes=7,
                          in_channels=8)
    cfg.model.neck = dict(type='GlobalAveragePooling')
    cfg.model.backbone = dict(type='ResNet', depth=18, out_indices=(3, ))
    cfg.model.head.in_channels = 512
    with pytest.raises(KeyError, match='score_map'):
        WSOLInferencer(cfg, device='cpu')(np.zeros((20, 20, 3), np.uint8))
    with pytest.raises(TypeError, match='inputs'):
        WSOLInferencer(tiny.cam_config(), device='cpu')([3])


@pytest.mark.parametrize('config, options', [
    ('configs/spol/spol_r18_synthetic.py',
     dict(model=dict(segmentor_checkpoint=None, classifier_checkpoint=None))),
    ('configs/spol/cam_r18_16e_synthetic.py', None),
])
def test_real_config_files(tmp_path, monkeypatch, config, options):
    """The repository's configs (scoped visualizer, stage configs named
    by path) with random weights."""
    monkeypatch.chdir(osp.dirname(osp.dirname(osp.dirname(
        osp.abspath(__file__)))))
    inferencer = WSOLInferencer(config, device='cpu', cfg_options=options)
    image = np.random.RandomState(2).randint(0, 255, (60, 90, 3))
    result = inferencer(image.astype(np.uint8), out_dir=str(tmp_path))[0]
    assert result['score_map'].shape == (60, 90)
    assert len(result['topk_labels']) == 5  # 8 synthetic classes
    assert cv2.imread(result['vis_file']).shape == (60, 90, 3)
