"""From the network-input frame back to the user's image, and the pipeline
that produces a frame that can be mapped back.

The test pipelines resize (mmcv's ``Resize`` / mmpretrain's ``ResizeEdge``
record ``scale_factor = (w_scale, h_scale)``), may crop (``WSOLCenterCrop``
records ``crop_bbox`` in the resized frame) and flip. A box inverts those
steps exactly (:func:`box_to_original_frame`); a score map of a crop covers
only part of the image, the rest gets 0.
"""
import copy
from typing import List, Optional, Sequence, Tuple

import cv2
import numpy as np

from spol_mm.evaluation.functional.box_frames import (
    box_to_original_frame, scale_pair)
from spol_mm.evaluation.functional.protocol_frame import unflip_map

#: Transforms that read files: the inferencer loads the image itself and
#: has no annotations.
LOADING_TRANSFORMS = ('LoadImageFromFile', 'LoadWSOLImage', 'LoadWSOLMask',
                      'LoadAnnotations')
#: Crops of test pipelines (dropped for a whole-image prediction).
CROP_TRANSFORMS = ('WSOLCenterCrop', 'CenterCrop', 'WSOLRandomCrop',
                   'RandomCrop', 'RandomResizedCrop')


def _type_name(transform) -> str:
    return transform['type'] if isinstance(transform['type'], str) \
        else transform['type'].__name__


def inference_pipeline(pipeline: Sequence[dict],
                       whole_image: bool = True) -> List[dict]:
    """A test pipeline made fit for images given by a user.

    Args:
        pipeline (Sequence[dict]): The config's test pipeline.
        whole_image (bool): Drop the crops, so the network sees (and the
            score map covers) the whole image at the test resize. Else
            mmcv's ``CenterCrop`` becomes ``WSOLCenterCrop``, which records
            where it cropped.

    Returns:
        list[dict]: The transforms without file loading (see
        :data:`LOADING_TRANSFORMS`) and, with ``whole_image``, without crops.
    """
    out = []
    for transform in copy.deepcopy(list(pipeline)):
        name = _type_name(transform)
        if name in LOADING_TRANSFORMS:
            continue
        if name in CROP_TRANSFORMS:
            if whole_image:
                continue
            if name == 'CenterCrop':
                transform['type'] = 'WSOLCenterCrop'
        out.append(transform)
    return out


def input_scale(meta: dict) -> Optional[Tuple[float, float]]:
    """``(w_scale, h_scale)`` from the input frame to the resized image.

    The recorded ``scale_factor`` when there is one; without it and without
    a crop, the ratio of ``img_shape`` to ``ori_shape``; else None (1).
    """
    if meta.get('scale_factor') is not None:
        return scale_pair(meta['scale_factor'])
    if meta.get('crop_bbox') is None and meta.get('img_shape') is not None:
        (h, w), (oh, ow) = meta['img_shape'][:2], meta['ori_shape'][:2]
        return w / ow, h / oh
    return None


def boxes_to_original(boxes, meta: dict) -> np.ndarray:
    """Boxes of the input frame in original-image pixels, clipped to it.

    Args:
        boxes (array-like): ``(N, 4)`` ``x0, y0, x1, y1`` in the input frame.
        meta (dict): ``ori_shape`` and what the pipeline recorded
            (``img_shape``, ``scale_factor``, ``crop_bbox``, ``flip``,
            ``flip_direction``).

    Returns:
        np.ndarray: float32 ``(N, 4)``.
    """
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    if not len(boxes):
        return boxes.astype(np.float32)
    out = box_to_original_frame(
        boxes,
        img_shape=meta.get('img_shape'),
        scale_factor=input_scale(meta),
        crop_bbox=meta.get('crop_bbox'),
        flip=bool(meta.get('flip', False)),
        flip_direction=meta.get('flip_direction'))
    h, w = meta['ori_shape'][:2]
    out[:, 0::2] = np.clip(out[:, 0::2], 0, w)
    out[:, 1::2] = np.clip(out[:, 1::2], 0, h)
    return out


def score_map_to_original(score_map: np.ndarray, meta: dict) -> np.ndarray:
    """A score map of the input frame on the original image's pixels.

    Unflipped, pasted at its crop in the resized image (0 outside the
    crop), then resized bilinearly to ``ori_shape``.

    Args:
        score_map (np.ndarray): ``(h, w)`` map of the input frame.
        meta (dict): As :func:`boxes_to_original`.

    Returns:
        np.ndarray: float32 ``(H, W)`` of the original image.
    """
    score_map = np.asarray(score_map, dtype=np.float32)
    if meta.get('flip'):
        score_map = unflip_map(score_map,
                               meta.get('flip_direction') or 'horizontal')
    oh, ow = (int(v) for v in meta['ori_shape'][:2])
    crop = meta.get('crop_bbox')
    if crop is not None:
        sw, sh = input_scale(meta) or (1., 1.)
        rh, rw = int(round(oh * sh)), int(round(ow * sw))
        x0, y0 = int(crop[0]), int(crop[1])
        canvas = np.zeros((rh, rw), dtype=np.float32)
        h = min(score_map.shape[0], rh - y0)
        w = min(score_map.shape[1], rw - x0)
        canvas[y0:y0 + h, x0:x0 + w] = score_map[:h, :w]
        score_map = canvas
    if score_map.shape != (oh, ow):
        score_map = cv2.resize(np.ascontiguousarray(score_map), (ow, oh),
                               interpolation=cv2.INTER_LINEAR)
    return score_map
