"""Pixel maths of the WSOL pictures: score map -> colours -> blended image.

Pure numpy / OpenCV functions on RGB uint8 images, so the visualizer stays a
thin drawing wrapper and the maths can be tested pixel by pixel.
"""
from typing import Tuple

import cv2
import numpy as np

from spol_mm.structures import resize_map
from spol_mm.utils.arrays import to_numpy
from spol_mm.utils.checks import check_choice

#: OpenCV colour maps by name (``cv2.COLORMAP_<NAME>``).
COLORMAPS = ('jet', 'turbo', 'viridis', 'inferno', 'magma', 'hot', 'parula')


def to_numpy_map(score_map) -> np.ndarray:
    """A tensor / array score map as a float32 ``(H, W)`` array.

    Args:
        score_map (Tensor | np.ndarray): ``(H, W)`` or ``(1, H, W)``.

    Returns:
        np.ndarray: float32 ``(H, W)``.
    """
    score_map = np.asarray(to_numpy(score_map), dtype=np.float32)
    if score_map.ndim == 3 and score_map.shape[0] == 1:
        score_map = score_map[0]
    if score_map.ndim != 2:
        raise ValueError(f'score map must be (H, W), got shape '
                         f'{score_map.shape}')
    return score_map


def resize_score_map(score_map: np.ndarray,
                     shape: Tuple[int, int]) -> np.ndarray:
    """Bilinear resize of a ``(H, W)`` map to ``shape = (h, w)``.

    Returns:
        np.ndarray: float32 ``(h, w)``; the map itself when already so.
    """
    if score_map.shape[:2] == tuple(int(v) for v in shape[:2]):
        return score_map
    return resize_map(np.asarray(score_map, dtype=np.float32),
                      (int(shape[1]), int(shape[0])))


def colorize_score_map(score_map: np.ndarray,
                       colormap: str = 'jet',
                       vmin: float = 0.,
                       vmax: float = 1.) -> np.ndarray:
    """Colour a score map with an OpenCV colour map.

    Scores are clipped to ``[vmin, vmax]`` and scaled to 0..255 (``vmin``
    gets the colour map's first colour, ``vmax`` its last).

    Args:
        score_map (np.ndarray): ``(H, W)`` scores.
        colormap (str): One of :data:`COLORMAPS`. Defaults to ``'jet'``.
        vmin (float): Score of the first colour. Defaults to 0.
        vmax (float): Score of the last colour. Defaults to 1.

    Returns:
        np.ndarray: RGB uint8 ``(H, W, 3)``.
    """
    check_choice('colormap', colormap, COLORMAPS)
    if not vmax > vmin:
        raise ValueError(f'need vmax > vmin, got vmin={vmin}, vmax={vmax}')
    scaled = (np.clip(score_map, vmin, vmax) - vmin) / (vmax - vmin)
    levels = np.round(scaled * 255).astype(np.uint8)
    bgr = cv2.applyColorMap(levels, getattr(cv2,
                                            f'COLORMAP_{colormap.upper()}'))
    return np.ascontiguousarray(bgr[..., ::-1])


def blend(image: np.ndarray, overlay: np.ndarray,
          alpha: float) -> np.ndarray:
    """``(1 - alpha) * image + alpha * overlay``, rounded, as uint8.

    Args:
        image (np.ndarray): uint8 ``(H, W, 3)``.
        overlay (np.ndarray): uint8 ``(H, W, 3)``, same shape.
        alpha (float): Weight of the overlay in ``[0, 1]``.

    Returns:
        np.ndarray: uint8 ``(H, W, 3)``.
    """
    if not 0 <= alpha <= 1:
        raise ValueError(f'alpha must be in [0, 1], got {alpha}')
    if image.shape != overlay.shape:
        raise ValueError(f'image {image.shape} and overlay '
                         f'{overlay.shape} differ in shape')
    mixed = (1 - alpha) * image.astype(np.float32) + \
        alpha * overlay.astype(np.float32)
    return np.clip(np.round(mixed), 0, 255).astype(np.uint8)


def score_map_overlay(image: np.ndarray,
                      score_map,
                      alpha: float = 0.5,
                      colormap: str = 'jet') -> np.ndarray:
    """The image with its score map blended on top as colours.

    Args:
        image (np.ndarray): RGB uint8 ``(H, W, 3)``.
        score_map (Tensor | np.ndarray): ``(h, w)`` in ``[0, 1]``; resized
            to the image (bilinear) when its size differs.
        alpha (float): Weight of the colours. Defaults to 0.5.
        colormap (str): See :func:`colorize_score_map`.

    Returns:
        np.ndarray: RGB uint8 ``(H, W, 3)``.
    """
    score_map = resize_score_map(to_numpy_map(score_map), image.shape[:2])
    return blend(image, colorize_score_map(score_map, colormap), alpha)


def as_rgb_image(image: np.ndarray) -> np.ndarray:
    """A grey / RGB(A) image of any numeric type as RGB uint8 (H, W, 3)."""
    image = np.asarray(image)
    if image.ndim == 2:
        image = np.repeat(image[..., None], 3, axis=2)
    if image.ndim != 3 or image.shape[2] not in (1, 3, 4):
        raise ValueError(f'image must be (H, W), (H, W, 1|3|4), got shape '
                         f'{image.shape}')
    if image.shape[2] == 1:
        image = np.repeat(image, 3, axis=2)
    image = image[..., :3]
    if image.dtype != np.uint8:
        image = np.clip(np.round(image), 0, 255).astype(np.uint8)
    return np.ascontiguousarray(image)
