"""Where pseudo-label files live and how they are written (atomically)."""
import os.path as osp
from concurrent.futures import ThreadPoolExecutor
from typing import Sequence, Tuple

import cv2
import numpy as np

# Re-exported: the pseudo-label writers (and their callers) have always
# imported it from here.
from ..utils.fileio import atomic_write_bytes


def label_path(label_dir: str, img_id: str) -> str:
    """``<label_dir>/<img_id without extension>.png``.

    The path the WSOL datasets read as ``seg_map_path``; ``img_id`` may
    contain ``/`` (class folders).

    Args:
        label_dir (str): The pseudo-label directory.
        img_id (str): The image's path relative to the image root.

    Returns:
        str: The label file's path.
    """
    if osp.isabs(img_id) or '..' in img_id.replace('\\', '/').split('/'):
        raise ValueError(f'img_id must be a relative path inside the image '
                         f'root, got {img_id!r}')
    return osp.join(label_dir, osp.splitext(img_id)[0] + '.png')


def write_label_png(path: str, label: np.ndarray,
                    durable: bool = True) -> None:
    """Write a uint8 label map (H, W) as a PNG, atomically.

    Args:
        path (str): Target ``.png`` file.
        label (np.ndarray): uint8 labels (0 / 1 / 255).
        durable (bool): ``fsync`` it (see :func:`atomic_write_bytes`).
    """
    if label.dtype != np.uint8 or label.ndim != 2:
        raise ValueError(f'{path}: a label map must be uint8 (H, W), got '
                         f'{label.dtype} {label.shape}')
    ok, buf = cv2.imencode('.png', label)
    if not ok:
        raise OSError(f'{path}: OpenCV could not encode the label map as PNG')
    atomic_write_bytes(path, buf.tobytes(), durable)


def write_label_pngs(label_dir: str,
                     img_ids: Sequence[str],
                     labels: Sequence[np.ndarray],
                     shapes: Sequence[Tuple[int, int]],
                     num_threads: int = 4) -> None:
    """Resize label maps to their images and write them, several at once.

    OpenCV's resize / PNG encoding and the file writes release the GIL, so
    a few threads overlap them. Each file is written atomically but not
    ``fsync``-ed: callers flush once when the batch of work is complete.

    Args:
        label_dir (str): The pseudo-label directory.
        img_ids (Sequence[str]): Image ids (relative paths), one per map.
        labels (Sequence[np.ndarray]): uint8 label maps (h, w).
        shapes (Sequence[tuple[int, int]]): Each image's (height, width);
            nearest-neighbour resizing keeps the labels 0 / 1 / 255.
        num_threads (int): Writer threads; 0 writes in this thread.
    """
    if not len(img_ids) == len(labels) == len(shapes):
        raise ValueError(f'{len(img_ids)} ids, {len(labels)} label maps and '
                         f'{len(shapes)} shapes: they must match')

    def write(item) -> None:
        img_id, label, (height, width) = item
        label = cv2.resize(
            label, (int(width), int(height)),
            interpolation=cv2.INTER_NEAREST)
        write_label_png(
            label_path(label_dir, img_id), np.ascontiguousarray(label),
            durable=False)

    items = zip(img_ids, labels, shapes)
    if num_threads <= 0:
        for item in items:
            write(item)
        return
    with ThreadPoolExecutor(num_threads) as pool:
        futures = [pool.submit(write, item) for item in items]
    # Every other file is finished (none cancelled), then the first error
    # of any thread is raised here.
    for future in futures:
        future.result()
