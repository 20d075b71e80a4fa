"""A generated WSOL benchmark with the real difficulty of WSOL.

Every image holds one object: a large body whose look is drawn from ONE
distribution for all classes (desaturated colours, spots), and a small part,
10-20 % of the object's area, whose saturated colour alone says the class.
A classifier therefore only needs the part, and its CAM lights the part,
while the ground-truth box and mask cover body and part, as a bird's box
covers the bird and not only its head. Backgrounds are textured and carry
class-neutral distractors (body-like blobs), so "anything not background" is
not the answer either.

The output is the native CUB-200-2011 layout (``images/``, ``images.txt``,
``classes.txt``, ``image_class_labels.txt``, ``train_test_split.txt``,
``bounding_boxes.txt``) plus ``segmentations/`` masks (0 / 255), so every
loader and metric of spol_mm runs on it unchanged.
"""
import colorsys
import json
import os
import os.path as osp
import tempfile
from typing import Dict, Tuple

import cv2
import numpy as np

META_FILE = 'synthetic_meta.json'
PART_FRACTION = (0.10, 0.20)
SCALE_RANGE = (0.2, 0.7)


def class_colour(label: int, num_classes: int) -> Tuple[int, int, int]:
    """The saturated BGR colour of a class's part (hues evenly spaced)."""
    r, g, b = colorsys.hsv_to_rgb(label / num_classes, 1.0, 1.0)
    return int(b * 255), int(g * 255), int(r * 255)


def neutral_colour(rng: np.random.Generator) -> Tuple[int, int, int]:
    """A desaturated BGR colour, the same distribution for every class."""
    r, g, b = colorsys.hsv_to_rgb(rng.random(), rng.uniform(0.0, 0.25),
                                  rng.uniform(0.25, 0.85))
    return int(b * 255), int(g * 255), int(r * 255)


def textured_background(rng: np.random.Generator, size: int) -> np.ndarray:
    """Smooth colour noise plus faint stripes, uint8 BGR (size, size, 3)."""
    # Colourful but paler than a class cue: half way to grey.
    coarse = rng.uniform(40, 200, (4, 4, 3)).astype(np.float32)
    coarse = 0.5 * coarse + 0.5 * coarse.mean()
    img = cv2.resize(coarse, (size, size), interpolation=cv2.INTER_CUBIC)
    yy, xx = np.mgrid[:size, :size].astype(np.float32)
    angle = rng.uniform(0, np.pi)
    period = rng.uniform(6, 20)
    stripes = np.sin((xx * np.cos(angle) + yy * np.sin(angle)) * 2 * np.pi /
                     period)
    img += stripes[..., None] * rng.uniform(5, 20)
    img += rng.normal(0, 6, img.shape).astype(np.float32)
    return np.clip(img, 0, 255).astype(np.uint8)


def _ellipse_mask(size: int, centre, axes, angle: float) -> np.ndarray:
    mask = np.zeros((size, size), np.uint8)
    cv2.ellipse(mask, (int(round(centre[0])), int(round(centre[1]))),
                (max(1, int(round(axes[0]))), max(1, int(round(axes[1])))),
                angle, 0, 360, 1, -1)
    return mask.astype(bool)


def _paint(img: np.ndarray, mask: np.ndarray, colour, rng, spots: bool):
    img[mask] = colour
    if spots:  # texture that says nothing about the class
        noise = rng.normal(0, 12, img.shape).astype(np.float32)
        img[mask] = np.clip(img[mask].astype(np.float32) + noise[mask], 0,
                            255).astype(np.uint8)


def render_sample(rng: np.random.Generator, size: int, label: int,
                  num_classes: int) -> Tuple[np.ndarray, np.ndarray, tuple]:
    """Draw one image of class ``label``.

    Args:
        rng (np.random.Generator): Randomness (the only source).
        size (int): Image side in pixels.
        label (int): Class, 0-based.
        num_classes (int): Number of classes.

    Returns:
        tuple: ``(image, mask, box)``: uint8 BGR (size, size, 3), bool
        object mask (size, size), and the tight box ``(x0, y0, x1, y1)``
        with exclusive ends, in pixels.
    """
    img = textured_background(rng, size)
    for _ in range(rng.integers(1, 4)):  # class-neutral distractors
        centre = rng.uniform(0, size, 2)
        axes = rng.uniform(0.03, 0.08, 2) * size
        blob = _ellipse_mask(size, centre, axes, rng.uniform(0, 180))
        _paint(img, blob, neutral_colour(rng), rng, spots=True)

    while True:
        extent = rng.uniform(*SCALE_RANGE) * size  # object's longer side
        aspect = rng.uniform(0.45, 1.0)
        axes = np.array([extent / 2, extent / 2 * aspect]) * 0.82
        angle = rng.uniform(0, 180)
        margin = extent / 2
        centre = rng.uniform(margin, size - margin, 2)
        body = _ellipse_mask(size, centre, axes, angle)
        # The part sits on the body's border at a random direction.
        theta = rng.uniform(0, 2 * np.pi)
        t = np.deg2rad(angle)
        px, py = axes[0] * np.cos(theta), axes[1] * np.sin(theta)
        edge = centre + [px * np.cos(t) - py * np.sin(t),
                         px * np.sin(t) + py * np.cos(t)]
        fraction = rng.uniform(0.12, 0.18)
        radius = np.sqrt(fraction * body.sum() / np.pi)
        part = _ellipse_mask(size, edge, (radius, radius * 0.8),
                             rng.uniform(0, 180))
        obj = body | part
        part_share = part.sum() / max(obj.sum(), 1)
        if PART_FRACTION[0] <= part_share <= PART_FRACTION[1]:
            break
    _paint(img, body, neutral_colour(rng), rng, spots=True)
    _paint(img, part, class_colour(label, num_classes), rng, spots=False)
    ys, xs = np.nonzero(obj)
    box = (int(xs.min()), int(ys.min()), int(xs.max()) + 1,
           int(ys.max()) + 1)
    return img, obj, box


def _atomic_write(path: str, data: bytes) -> None:
    os.makedirs(osp.dirname(path), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=osp.dirname(path), suffix='.tmp')
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
        os.replace(tmp, path)
    finally:
        if osp.exists(tmp):
            os.remove(tmp)


def _encode(ext: str, array: np.ndarray) -> bytes:
    params = [cv2.IMWRITE_JPEG_QUALITY, 95] if ext == '.jpg' else []
    ok, buf = cv2.imencode(ext, array, params)
    if not ok:
        raise RuntimeError(f'cv2 could not encode a {ext} image')
    return buf.tobytes()


def write_synthetic_wsol(out: str, classes: int = 8, train: int = 400,
                         test: int = 160, size: int = 128,
                         seed: int = 0) -> Dict[str, int]:
    """Write the dataset to ``out`` (a no-op if it is complete and the same).

    Classes cycle over the images, so each class gets ``train / classes``
    training and ``test / classes`` test images (totals, not per class).
    Images are written first and the index files last, each atomically, so
    an interrupted run never looks complete.

    Args:
        out (str): Output folder.
        classes (int): Number of classes.
        train (int): Number of training images (total).
        test (int): Number of test images (total).
        size (int): Image side.
        seed (int): Seed; the same arguments give the same bytes.

    Returns:
        dict: The arguments, as recorded in ``synthetic_meta.json``.
    """
    args = dict(classes=classes, train=train, test=test, size=size,
                seed=seed, version=1)
    meta_path = osp.join(out, META_FILE)
    if osp.exists(meta_path):
        with open(meta_path) as f:
            recorded = json.load(f)
        if recorded == args:
            return args
        raise ValueError(
            f'{meta_path}: {out} already holds a synthetic dataset made with '
            f'{recorded}, not {args}; choose another --out or delete it')
    if classes < 1 or train < 0 or test < 0 or size < 32:
        raise ValueError('need classes >= 1, train/test >= 0, size >= 32')

    rng = np.random.default_rng(seed)
    names = [f'{k + 1:03d}.class_{k:02d}' for k in range(classes)]
    images, labels, split, boxes = [], [], [], []
    for i in range(train + test):
        img_id, label = i + 1, i % classes
        rel = f'{names[label]}/sample_{img_id:05d}.jpg'
        img, mask, (x0, y0, x1, y1) = render_sample(rng, size, label,
                                                    classes)
        _atomic_write(osp.join(out, 'images', rel), _encode('.jpg', img))
        _atomic_write(osp.join(out, 'segmentations', rel[:-4] + '.png'),
                      _encode('.png', mask.astype(np.uint8) * 255))
        images.append(f'{img_id} {rel}')
        labels.append(f'{img_id} {label + 1}')
        split.append(f'{img_id} {int(i < train)}')
        boxes.append(f'{img_id} {float(x0)} {float(y0)} {float(x1 - x0)} '
                     f'{float(y1 - y0)}')
    tables = {
        'classes.txt': [f'{k + 1} {n}' for k, n in enumerate(names)],
        'images.txt': images,
        'image_class_labels.txt': labels,
        'train_test_split.txt': split,
        'bounding_boxes.txt': boxes,
    }
    for name, lines in tables.items():
        _atomic_write(osp.join(out, name), ('\n'.join(lines) + '\n').encode())
    _atomic_write(meta_path, json.dumps(args, indent=1).encode())
    return args
