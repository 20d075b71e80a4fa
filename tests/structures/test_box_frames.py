"""Boxes between the network input, the original image and the protocol's
frame.

Expected values are worked out by hand in the comments.
"""
import numpy as np
import pytest

from spol_mm.structures import (box_to_original_frame, boxes_to_original,
                                crop_boxes, rescale_boxes_truncate)

# A user's image 200 wide, 100 high, resized to 40x40 (scale 0.2, 0.4) and
# centre-cropped 32x32 at x, y = 4, 4 of the resized image.
ORI_H, ORI_W = 100, 200


def test_box_to_original_frame_inverts_resize_crop_flip():
    # original 200 x 100 (w x h) -> resize 256x256: scale (1.28, 2.56);
    # crop x0, y0 = 16, 16; horizontal flip of the 224x224 crop.
    # input box [0, 0, 24, 224] -> unflip [200, 0, 224, 224]
    # -> + crop [216, 16, 240, 240] -> / scale [168.75, 6.25, 187.5, 93.75]
    out = box_to_original_frame([0, 0, 24, 224],
                                img_shape=(224, 224),
                                scale_factor=(1.28, 2.56),
                                crop_bbox=[16, 16, 240, 240],
                                flip=True,
                                flip_direction='horizontal')
    np.testing.assert_allclose(out, [[168.75, 6.25, 187.5, 93.75]])
    # nothing recorded: unchanged
    np.testing.assert_allclose(box_to_original_frame([1, 2, 3, 4]),
                               [[1, 2, 3, 4]])
    with pytest.raises(ValueError, match='img_shape'):
        box_to_original_frame([1, 2, 3, 4], flip=True)


def test_rescale_boxes_truncate_like_the_protocol():
    # 10*224/500 = 4.48 -> 4; 20*224/400 = 11.2 -> 11;
    # 333*224/500 = 149.18 -> 149; 399*224/400 = 223.44 -> 223
    out = rescale_boxes_truncate([[10, 20, 333, 399]], (500, 400))
    np.testing.assert_array_equal(out, [[4, 11, 149, 223]])
    assert out.dtype == np.int64
    with pytest.raises(ValueError, match='non-negative'):
        rescale_boxes_truncate([[-1, 0, 5, 5]], (10, 10))


def test_crop_boxes_pure():
    np.testing.assert_array_equal(
        crop_boxes(np.array([[10, 10, 30, 40]]), np.array([5, 20, 25, 30])),
        [[5, 0, 20, 10]])


def test_boxes_to_original_inverts_resize_and_crop():
    meta = dict(ori_shape=(ORI_H, ORI_W), img_shape=(32, 32),
                scale_factor=(0.2, 0.4), crop_bbox=np.array([4, 4, 36, 36]))
    out = boxes_to_original(np.array([[3., 10., 8., 14.]]), meta)
    np.testing.assert_allclose(out, [[35., 35., 60., 45.]])
    # Clipped to the image; no box stays no box.
    out = boxes_to_original(np.array([[0., 0., 32., 32.]]), meta)
    np.testing.assert_allclose(out, [[20., 10., 180., 90.]])
    meta.pop('crop_bbox')
    out = boxes_to_original(np.array([[-2., 0., 45., 40.]]), meta)
    np.testing.assert_allclose(out, [[0., 0., 200., 100.]])
    assert boxes_to_original(np.zeros((0, 4)), meta).shape == (0, 4)
    # Without a recorded scale: the ratio of the shapes.
    meta = dict(ori_shape=(100, 200), img_shape=(50, 50))
    np.testing.assert_allclose(
        boxes_to_original(np.array([[10., 10., 20., 20.]]), meta),
        [[40., 20., 80., 40.]])
