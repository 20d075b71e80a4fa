"""Where pseudo-label files live and how they are written (atomically)."""
import os
import os.path as osp
import tempfile

import cv2
import numpy as np


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


def atomic_write_bytes(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` so that ``path`` is never half-written.

    The bytes go to a hidden temp file in the same directory (its name
    never ends with the target's extension), which then replaces ``path``;
    on any error the temp file is removed.

    Args:
        path (str): Target file; parent directories are created.
        data (bytes): The content.
    """
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        dir=folder, prefix=f'.{osp.basename(path)}.', suffix='.tmp')
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise


def write_label_png(path: str, label: np.ndarray) -> None:
    """Write a uint8 label map (H, W) as a PNG, atomically.

    Args:
        path (str): Target ``.png`` file.
        label (np.ndarray): uint8 labels (0 / 1 / 255).
    """
    if label.dtype != np.uint8 or label.ndim != 2:
        raise ValueError(f'{path}: a label map must be uint8 (H, W), got '
                         f'{label.dtype} {label.shape}')
    ok, buf = cv2.imencode('.png', label)
    if not ok:
        raise OSError(f'{path}: OpenCV could not encode the label map as PNG')
    atomic_write_bytes(path, buf.tobytes())
