"""Score maps between the network input, the original image and the
protocol's frame."""
import numpy as np

from spol_mm.structures import (crop_covers_image, paste_crop_map,
                                score_map_to_original)

# As in test_box_frames: 200x100 image, 40x40 resize, 32x32 crop at 4, 4.
ORI_H, ORI_W = 100, 200


def test_score_map_of_a_crop_is_zero_outside_it():
    meta = dict(ori_shape=(ORI_H, ORI_W), img_shape=(32, 32),
                scale_factor=(0.2, 0.4), crop_bbox=np.array([4, 4, 36, 36]))
    full = score_map_to_original(np.ones((32, 32), np.float32), meta)
    assert full.shape == (ORI_H, ORI_W)
    # The crop covers x 20..180, y 10..90 of the original image.
    assert full[50, 100] == 1. and full[50, 10] == 0. and full[3, 100] == 0.
    flipped = score_map_to_original(
        np.tile(np.arange(4, dtype=np.float32), (2, 1)),
        dict(ori_shape=(2, 4), img_shape=(2, 4), flip=True,
             flip_direction='horizontal'))
    assert flipped[0].tolist() == [3., 2., 1., 0.]


def test_crop_covers_image_and_paste():
    # A 40x40 resize of a 200x100 image: scale (0.2, 0.4).
    assert crop_covers_image(None, (ORI_H, ORI_W))
    assert crop_covers_image([0, 0, 40, 40], (ORI_H, ORI_W), (0.2, 0.4))
    assert not crop_covers_image([4, 4, 36, 36], (ORI_H, ORI_W), (0.2, 0.4))
    # The crop x 4..36, y 4..36 of 40 -> 224 * 4 / 40 = 22.4 -> 22 .. 202.
    pasted = paste_crop_map(np.ones((32, 32)), (ORI_H, ORI_W),
                            [4, 4, 36, 36], (0.2, 0.4))
    assert pasted.shape == (224, 224) and pasted.dtype == np.float32
    assert pasted[22:202, 22:202].min() == 1.
    assert pasted[:22].max() == 0. and pasted[:, 202:].max() == 0.
