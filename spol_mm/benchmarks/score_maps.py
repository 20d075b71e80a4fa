"""Score maps to benchmark and test the WSOL evaluator on, with GT boxes.

Two generated kinds (deterministic in ``seed``); the third kind the
evaluator benchmark uses, real CAMs, comes from a trained model through
``tools/test.py CONFIG CKPT --out-maps DIR`` (:func:`read_map_folder`).

- ``blobs``: smooth CAM-like maps, 1-3 Gaussian blobs on a faint floor,
  blurred; one GT box around the strongest region, jittered.
- ``noisy``: 1-3 blobs, each with its own GT box, plus per-pixel noise that
  breaks every level into many regions with holes: the contour search's
  hard case.
"""
import os.path as osp
from typing import List, Tuple

import cv2
import numpy as np

MAP_KINDS = ('blobs', 'noisy', 'cams')


def _blob(xs: np.ndarray, ys: np.ndarray, rng: np.random.Generator,
          size: int) -> Tuple[np.ndarray, np.ndarray]:
    """One random Gaussian blob and its 2-sigma box."""
    cx, cy = rng.uniform(0.2, 0.8, 2) * size
    sx, sy = rng.uniform(0.04, 0.2, 2) * size
    quad = (xs - cx)**2 / (2 * sx**2) + (ys - cy)**2 / (2 * sy**2)
    box = np.array([cx - 2 * sx, cy - 2 * sy, cx + 2 * sx, cy + 2 * sy])
    return rng.uniform(0.3, 1) * np.exp(-quad), box


def blob_maps(num: int, size: int = 224, seed: int = 0) -> np.ndarray:
    """Smooth maps in [0, 1]: a few Gaussian blobs, a faint floor, a blur.

    Args:
        num (int): Maps.
        size (int): Side in pixels.
        seed (int): Random seed.

    Returns:
        np.ndarray: float64 ``(num, size, size)``, each with maximum 1.
    """
    rng = np.random.default_rng(seed)
    ys, xs = np.mgrid[:size, :size].astype(np.float64)
    maps = np.empty((num, size, size))
    for i in range(num):
        m = rng.uniform(0, 0.05, (size, size))
        for _ in range(rng.integers(1, 4)):
            m += _blob(xs, ys, rng, size)[0]
        m = cv2.GaussianBlur(m, (0, 0), 2)
        maps[i] = m / m.max()
    return maps


def boxes_near_peaks(maps: np.ndarray, seed: int = 0) -> List[np.ndarray]:
    """One GT box per map, around its region above 0.5, jittered.

    Args:
        maps (np.ndarray): ``(N, H, W)`` maps with maximum 1.
        seed (int): Random seed of the jitter.

    Returns:
        list[np.ndarray]: int64 ``(1, 4)`` boxes inside the maps.
    """
    rng = np.random.default_rng(seed)
    boxes = []
    for m in maps:
        size = m.shape[0]
        ys, xs = np.nonzero(m > 0.5)
        box = np.array([xs.min(), ys.min(), xs.max(), ys.max()], dtype=float)
        box += rng.normal(0, 0.05 * size, 4)
        boxes.append(np.clip(np.sort(box.reshape(2, 2), axis=0).ravel(), 0,
                             size - 1).astype(np.int64)[None])
    return boxes


def noisy_maps(num: int, size: int = 224, seed: int = 0,
               noise: float = 0.1) -> Tuple[np.ndarray, List[np.ndarray]]:
    """1-3 blobs with a GT box each, plus uniform per-pixel noise.

    Args:
        num (int): Maps.
        size (int): Side in pixels.
        seed (int): Random seed.
        noise (float): Amplitude of the noise, relative to the blobs'
            (peaks 0.3-1), added after the blur.

    Returns:
        tuple[np.ndarray, list[np.ndarray]]: float64 ``(num, size, size)``
        maps with maximum 1 and, per map, int64 ``(G, 4)`` GT boxes.
    """
    rng = np.random.default_rng(seed)
    ys, xs = np.mgrid[:size, :size].astype(np.float64)
    maps, boxes = np.empty((num, size, size)), []
    for i in range(num):
        m = np.zeros((size, size))
        gt = []
        for _ in range(rng.integers(1, 4)):
            blob, box = _blob(xs, ys, rng, size)
            m += blob
            gt.append(np.clip(box, 0, size - 1))
        m = cv2.GaussianBlur(m, (0, 0), 2) + rng.uniform(0, noise, m.shape)
        maps[i] = m / m.max()
        boxes.append(np.asarray(gt).astype(np.int64))
    return maps, boxes


def read_map_folder(root: str, limit: int = 0
                    ) -> Tuple[np.ndarray, List[np.ndarray]]:
    """The maps and protocol-frame GT boxes of a ``--out-maps`` folder.

    Args:
        root (str): A folder ``tools/test.py --out-maps`` wrote (maps,
            ``metadata/``).
        limit (int): At most this many maps (0: all), in the metadata's
            order.

    Returns:
        tuple[np.ndarray, list[np.ndarray]]: float64 ``(N, 224, 224)`` maps
        and, per map, int64 ``(G, 4)`` GT boxes in their frame.
    """
    from wsol_protocol import PROTOCOL_SIZE, load_wsol_metadata
    from wsol_protocol.boxes import rescale_boxes_truncate
    from wsol_protocol.saved_maps import load_scoremap, scoremap_path
    meta = load_wsol_metadata(osp.join(root, 'metadata'))
    if meta['localization'] != 'boxes':
        raise ValueError(f'{root}/metadata: holds masks; the box '
                         'benchmark needs boxes')
    ids = meta['image_ids'][:limit or None]
    maps = np.stack([load_scoremap(scoremap_path(root, i)) for i in ids])
    boxes = [
        rescale_boxes_truncate(meta['boxes'][i], meta['sizes'][i],
                               (PROTOCOL_SIZE, PROTOCOL_SIZE)) for i in ids
    ]
    return maps, boxes
