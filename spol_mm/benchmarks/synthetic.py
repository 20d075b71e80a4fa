"""The generated WSOL benchmarks' writer, and the part-only stress test.

Two benchmarks share one writer (:func:`write_synthetic_wsol`, the CUB
layout below):

* ``'cub_like'`` (:mod:`.cub_like`): faithful to CUB-200-2011's
  properties: class evidence over the whole bird, strongest on the head.
  The benchmark the demo and the tables use.
* ``'part_stress'`` (this module): a stress test in which the class lives
  ONLY in a small part, described below. It is harder than CUB in one
  respect on purpose: a CAM that lights exactly the part still misses the
  object's box (mean IoU about 0.13), so GPPL has almost nothing to grow
  from. Use it to see how a method fails, not to rank methods.

The part-only stress test
-------------------------

* Every image holds ONE object: a large body (a smooth random blob) and a
  small part, 10-20 % of the object's area, on the body's border (a "head"
  or "tail" that may stick out).
* The body's shape, size, colour and texture are drawn from ONE
  distribution for all classes (desaturated colours; blotches, stripes or
  shading in luminance only). The label is not even an argument of the
  functions that draw them, and the part's colour is drawn last, so two
  renders with the same random state and different labels are identical
  pixel for pixel outside the part.
* The part alone carries the class: a saturated colour whose hue is the
  class's (hues evenly spaced, at most :data:`MAX_HUES`); with more
  classes than hues the part's pattern (solid, stripes, checker) tells
  apart the classes that share a hue.
* The background (coarse colour noise, stripes, illumination gradient,
  grain) and 1-4 small distractor shapes are class-neutral: distractors
  take the body's colour distribution or a hue half-way between two class
  hues at lower saturation, never a class cue, and never touch the object
  (so the ground truth is unambiguous).

A classifier therefore needs only the part, its CAM lights the part, and
the ground-truth mask and box cover body + part. Objects are placed fully
inside the image; the longer side of the object's box is 20-70 % of the
image side.

Output: the native CUB-200-2011 layout, so every loader and metric of
spol_mm runs on it unchanged::

    images/<class_dir>/<name>.jpg          JPEG, quality 95
    segmentations/<class_dir>/<name>.png   uint8 mask, 0 / 255
    images.txt              <id> <class_dir>/<name>.jpg   (ids from 1)
    classes.txt             <class id> <class_dir>        (ids from 1)
    image_class_labels.txt  <id> <label from 1>
    train_test_split.txt    <id> <1 = train, 0 = test>
    bounding_boxes.txt      <id> <x> <y> <width> <height>
    synthetic_meta.json     the arguments; ``"complete": true`` at the end
    benchmark_properties.json  measured properties (``--properties``;
                               :mod:`.properties`)

Boxes are the tight box of the mask in continuous pixel coordinates:
``x = first object column``, ``x + width = last object column + 1``.

Every image has its own random stream, seeded by ``(seed, split, index in
split)``: the same arguments give byte-identical files, and the test
images do not change when only the number of training images does.

Command line: ``tools/dataset_converters/make_synthetic_wsol.py``.
"""
import colorsys
import json
import os
import os.path as osp
from typing import Callable, Dict, List, Optional, Tuple

import cv2
import numpy as np

from spol_mm.utils.checks import check_choice
from spol_mm.utils.fileio import (atomic_write_bytes, atomic_write_text,
                                  remove_stale_temps)

__all__ = [
    'GENERATOR_VERSION', 'META_FILE', 'PART_FRACTION', 'SCALE_RANGE',
    'MAX_HUES', 'PART_PATTERNS', 'MAX_CLASSES', 'MIN_SIZE', 'JPEG_QUALITY',
    'INDEX_FILES', 'num_hues', 'class_cue', 'class_dir_name',
    'neutral_colour', 'off_class_colour', 'textured_background',
    'neutral_texture', 'sample_object_masks', 'mask_box', 'paint_part',
    'render_sample', 'sample_rng', 'BENCHMARKS', 'benchmark_renderer',
    'write_synthetic_wsol'
]

GENERATOR_VERSION = 2
META_FILE = 'synthetic_meta.json'
#: Part area / object area (object = body + part).
PART_FRACTION = (0.10, 0.20)
#: Longer side of the object's box / image side.
SCALE_RANGE = (0.20, 0.70)
#: Most distinct part hues; more classes reuse hues with another pattern.
MAX_HUES = 12
PART_PATTERNS = ('solid', 'stripes', 'checker')
MAX_CLASSES = MAX_HUES * len(PART_PATTERNS)
MIN_SIZE = 32
JPEG_QUALITY = 95
INDEX_FILES = ('classes.txt', 'image_class_labels.txt', 'train_test_split.txt',
               'bounding_boxes.txt', 'images.txt')
_SPLIT_CODES = {'train': 1, 'test': 0}
#: The benchmarks :func:`write_synthetic_wsol` writes.
BENCHMARKS = ('part_stress', 'cub_like')

Box = Tuple[int, int, int, int]


def _bgr(hue: float, sat: float, val: float) -> np.ndarray:
    """HSV in [0, 1] -> BGR float32 in [0, 255]."""
    r, g, b = colorsys.hsv_to_rgb(hue % 1.0, sat, val)
    return np.array([b, g, r], np.float32) * 255


def num_hues(num_classes: int) -> int:
    """Number of distinct part hues used for ``num_classes`` classes."""
    return min(num_classes, MAX_HUES)


def class_cue(label: int, num_classes: int) -> Tuple[float, str]:
    """The part's hue and pattern that identify a class.

    Args:
        label (int): Class, 0-based.
        num_classes (int): Number of classes (at most :data:`MAX_CLASSES`).

    Returns:
        tuple: ``(hue in [0, 1), pattern name)``.
    """
    if not 0 <= label < num_classes <= MAX_CLASSES:
        raise ValueError(f'need 0 <= label < num_classes <= {MAX_CLASSES}, '
                         f'got label {label}, num_classes {num_classes}')
    hues = num_hues(num_classes)
    return (label % hues) / hues, PART_PATTERNS[label // hues]


def class_dir_name(label: int, num_classes: int) -> str:
    """CUB-style class folder, e.g. ``'003.hue090_solid'`` (id from 1)."""
    hue, pattern = class_cue(label, num_classes)
    return f'{label + 1:03d}.hue{int(round(hue * 360)):03d}_{pattern}'


def neutral_colour(rng: np.random.Generator) -> np.ndarray:
    """A desaturated BGR colour, one distribution for every class."""
    return _bgr(rng.random(), rng.uniform(0.0, 0.3), rng.uniform(0.3, 0.85))


def off_class_colour(rng: np.random.Generator, num_classes: int) -> np.ndarray:
    """A coloured distractor that is never a class cue.

    Its hue lies half-way between two class hues and its saturation is
    below any part's, so it looks "colourful" without naming a class.
    """
    hues = num_hues(num_classes)
    hue = (rng.integers(hues) + 0.5) / hues
    return _bgr(hue, rng.uniform(0.3, 0.65), rng.uniform(0.4, 0.9))


def _axis(size: int) -> np.ndarray:
    """Pixel coordinates along one axis, normalised to [-0.5, 0.5)."""
    return np.arange(size, dtype=np.float32) / size - 0.5


def _gradient(rng: np.random.Generator, size: int,
              strength: float) -> np.ndarray:
    """A linear ramp of random slope, up to ``strength`` per image side."""
    gx, gy = rng.uniform(-strength, strength, 2).astype(np.float32)
    t = _axis(size)
    return gy * t[:, None] + gx * t[None, :]


def _waves(rng: np.random.Generator, size: int, period: float) -> np.ndarray:
    """``sin`` stripes of ``period`` pixels in a random direction."""
    angle = rng.uniform(0, np.pi)
    phase = rng.uniform(0, 2 * np.pi)
    k = 2 * np.pi * size / period
    t = _axis(size)
    ax = (k * np.cos(angle)) * t + phase  # along x (columns)
    by = (k * np.sin(angle)) * t  # along y (rows)
    # sin(ax + by) as two outer products: far cheaper than a 2-D sin.
    return (np.outer(np.cos(by), np.sin(ax)) +
            np.outer(np.sin(by), np.cos(ax))).astype(np.float32)


def _upsample(coarse: np.ndarray, size: int) -> np.ndarray:
    """Smoothly upsample a tiny float32 grid to (size, size[, C]).

    Cubic to a quarter of the size, then linear: looks the same as cubic
    all the way and is ~10x cheaper for 3 channels in OpenCV.
    """
    mid = max(coarse.shape[0], size // 4)
    out = cv2.resize(coarse, (mid, mid), interpolation=cv2.INTER_CUBIC)
    return cv2.resize(out, (size, size), interpolation=cv2.INTER_LINEAR)


def _grain(rng: np.random.Generator, shape, amplitude: float) -> np.ndarray:
    """Uniform noise in [-amplitude, amplitude] (cheaper than Gaussian)."""
    return (rng.random(shape, np.float32) - 0.5) * (2 * amplitude)


def _smooth_noise(rng: np.random.Generator, size: int,
                  cells: int) -> np.ndarray:
    """Coarse random field upsampled to (size, size), values about N(0, 1)."""
    return _upsample(rng.standard_normal((cells, cells), np.float32), size)


def textured_background(rng: np.random.Generator, size: int) -> np.ndarray:
    """A class-neutral textured background.

    Coarse colour noise pulled half way to grey (colourful, yet paler than
    any part), stripes in a random direction (70 % of images), a linear
    illumination gradient and grain.

    Args:
        rng (np.random.Generator): Randomness.
        size (int): Image side.

    Returns:
        np.ndarray: float32 BGR image (size, size, 3), not yet clipped.
    """
    grid = int(rng.integers(3, 7))
    coarse = rng.uniform(40, 215, (grid, grid, 3)).astype(np.float32)
    coarse = 0.5 * coarse + 0.5 * coarse.mean()
    img = _upsample(coarse, size)
    light = _gradient(rng, size, 40)
    if rng.random() < 0.7:
        light += rng.uniform(6, 22) * _waves(rng, size,
                                             rng.uniform(0.04, 0.16) * size)
    img += light[..., None]
    img += _grain(rng, img.shape, rng.uniform(5, 12))
    return img


def neutral_texture(rng: np.random.Generator, size: int) -> np.ndarray:
    """Luminance offsets for a body or distractor, the same for any class.

    One of: blotches (smooth noise), stripes, or a plain surface; always
    with shading (:func:`_paint` adds the grain). Grey offsets only, so
    the texture adds no hue.

    Args:
        rng (np.random.Generator): Randomness.
        size (int): Image side.

    Returns:
        np.ndarray: float32 (size, size) offsets in grey levels.
    """
    kind = int(rng.integers(3))
    amplitude = rng.uniform(10, 28)
    if kind == 0:
        tex = amplitude * _smooth_noise(rng, size, int(rng.integers(6, 14)))
    elif kind == 1:
        tex = amplitude * _waves(rng, size, rng.uniform(0.03, 0.09) * size)
    else:
        tex = np.zeros((size, size), np.float32)
    return tex + _gradient(rng, size, 60)  # shading


def _paint(img: np.ndarray, region: np.ndarray, colour: np.ndarray,
           tex: np.ndarray, rng: np.random.Generator) -> None:
    """``img[region] = colour + luminance texture + grain`` (in place)."""
    grain = _grain(rng, int(region.sum()), 7)
    img[region] = colour + (tex[region] + grain)[:, None]


def _polygon_area(pts: np.ndarray) -> float:
    x, y = pts[:, 0], pts[:, 1]
    return 0.5 * abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))


def _rotate(pts: np.ndarray, angle: float) -> np.ndarray:
    c, s = np.cos(angle), np.sin(angle)
    return pts @ np.array([[c, s], [-s, c]], pts.dtype)


def _ellipse_polygon(centre,
                     a: float,
                     b: float,
                     angle: float,
                     n: int = 32) -> np.ndarray:
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    pts = np.stack([a * np.cos(t), b * np.sin(t)], 1)
    return _rotate(pts, angle) + centre


def _blob_polygon(rng: np.random.Generator, n: int = 64) -> np.ndarray:
    """A smooth star-shaped blob of radius about 1 (low-order wobble)."""
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    radius = np.ones_like(t)
    for k in (2, 3, 4):
        radius += rng.uniform(0, 0.09) * np.cos(k * t + rng.uniform(0, 6.3))
    aspect = rng.uniform(0.4, 1.0)  # minor / major axis
    pts = np.stack([radius * np.cos(t), aspect * radius * np.sin(t)], 1)
    return _rotate(pts, rng.uniform(0, np.pi))


def _fill(polys: List[np.ndarray], shape: Tuple[int, int]) -> List[np.ndarray]:
    """Fill each polygon (float pixel coordinates) into its own bool mask,
    with 1/16 pixel precision."""
    masks = []
    for pts in polys:
        fixed = np.round(pts * 16).astype(np.int32)
        mask = np.zeros(shape, np.uint8)
        cv2.fillPoly(mask, [fixed], 1, cv2.LINE_8, shift=4)
        masks.append(mask.astype(bool))
    return masks


def sample_object_masks(rng: np.random.Generator,
                        size: int) -> Tuple[np.ndarray, np.ndarray]:
    """Draw the object's geometry: a body blob and a part on its border.

    The class is not an argument: the geometry is the same distribution
    for every class. The object lies fully inside the image, the longer
    side of its box is in :data:`SCALE_RANGE` times ``size`` (within a
    pixel), and the part covers :data:`PART_FRACTION` of the object.

    Args:
        rng (np.random.Generator): Randomness.
        size (int): Image side (>= :data:`MIN_SIZE`).

    Returns:
        tuple: bool masks ``(body, part)`` of shape (size, size); the part
        is drawn over the body, so ``body & ~part`` is the visible body
        and ``body | part`` the object.
    """
    while True:  # rare retries when the part's share misses the range
        body = _blob_polygon(rng)
        i = int(rng.integers(len(body)))
        tangent = body[(i + 1) % len(body)] - body[i - 1]
        normal = np.array([tangent[1], -tangent[0]])
        normal /= np.linalg.norm(normal)
        if np.dot(normal, body[i]) < 0:
            normal = -normal
        share = rng.uniform(0.12, 0.18)
        squash = rng.uniform(0.6, 1.0)
        part_angle = rng.uniform(0, np.pi)
        outward = rng.uniform(0.0, 0.6)  # how far the part sticks out
        extent = rng.uniform(*SCALE_RANGE) * size
        # First guess: about half of the part lies outside the body.
        part_area = share * _polygon_area(body) / (1 - 0.5 * share)
        radius = np.sqrt(part_area / (np.pi * squash))
        for _ in range(4):
            part = _ellipse_polygon(body[i] + normal * radius * outward,
                                    radius, radius * squash, part_angle)
            both = np.concatenate([body, part])
            lo, hi = both.min(0), both.max(0)
            scale = extent / (hi - lo).max()
            side = int(np.ceil(extent)) + 3
            body_m, part_m = _fill([(body - lo) * scale + 1,
                                    (part - lo) * scale + 1], (side, side))
            got = part_m.sum() / max((body_m | part_m).sum(), 1)
            if PART_FRACTION[0] + 0.005 <= got <= PART_FRACTION[1] - 0.005:
                break
            radius *= np.sqrt(share / max(got, 1e-3))
        else:
            continue
        obj = body_m | part_m
        ys, xs = np.nonzero(obj)
        y0, x0 = ys.min(), xs.min()
        h, w = ys.max() + 1 - y0, xs.max() + 1 - x0
        if max(h, w) > size:
            continue
        oy = int(rng.integers(0, size - h + 1))
        ox = int(rng.integers(0, size - w + 1))
        out = []
        for m in (body_m, part_m):
            full = np.zeros((size, size), bool)
            full[oy:oy + h, ox:ox + w] = m[y0:y0 + h, x0:x0 + w]
            out.append(full)
        return out[0], out[1]


def mask_box(mask: np.ndarray) -> Box:
    """Tight box ``(x0, y0, x1, y1)`` of a bool mask, exclusive ends."""
    ys, xs = np.nonzero(mask)
    if len(xs) == 0:
        raise ValueError('mask_box: the mask is empty')
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def _distractor_mask(rng: np.random.Generator, size: int,
                     keep_out: Box) -> Optional[np.ndarray]:
    """A small ellipse, rectangle or triangle clear of ``keep_out``."""
    kind = int(rng.integers(3))
    radius = rng.uniform(0.04, 0.10) * size
    angle = rng.uniform(0, np.pi)
    squash = rng.uniform(0.4, 1.0)
    x0, y0, x1, y1 = keep_out
    gap = 2 + radius
    for _ in range(12):
        cx, cy = rng.uniform(0, size, 2)
        if x0 - gap < cx < x1 + gap and y0 - gap < cy < y1 + gap:
            continue
        if kind == 0:
            pts = _ellipse_polygon((cx, cy), radius, radius * squash, angle)
        elif kind == 1:
            corners = np.array([[1, 1], [-1, 1], [-1, -1], [1, -1]], float)
            pts = _rotate(corners * [radius, radius * squash], angle)
            pts = pts / np.sqrt(2) + (cx, cy)
        else:
            t = angle + np.array([0, 2.1, 4.2]) + rng.uniform(-0.4, 0.4, 3)
            pts = np.stack([np.cos(t), np.sin(t)], 1) * radius + (cx, cy)
        return _fill([pts], (size, size))[0]
    return None


def paint_part(img: np.ndarray, part: np.ndarray, label: int, num_classes: int,
               rng: np.random.Generator) -> None:
    """Paint the class cue on ``part`` (the only use of the label).

    A saturated colour of the class's hue with a little shading and grain;
    ``stripes`` / ``checker`` classes alternate it with a dark version in
    a pattern of random direction and phase.

    Args:
        img (np.ndarray): float32 BGR image, painted in place.
        part (np.ndarray): bool mask of the part.
        label (int): Class, 0-based.
        num_classes (int): Number of classes.
        rng (np.random.Generator): Randomness (same draws for any label).
    """
    size = img.shape[0]
    hue, pattern = class_cue(label, num_classes)
    colour = _bgr(hue, rng.uniform(0.85, 1.0), rng.uniform(0.8, 1.0))
    period = max(4.0, size / 32)
    stripes = _waves(rng, size, period) > 0
    cross = _waves(rng, size, period) > 0
    grain = _grain(rng, int(part.sum()), 7)
    dark = {
        'solid': np.zeros_like(stripes),
        'stripes': stripes,
        'checker': stripes ^ cross
    }[pattern]
    shade = np.where(dark, 0.35, 1.0).astype(np.float32)
    img[part] = colour * shade[part][:, None] + grain[:, None]


def render_sample(rng: np.random.Generator,
                  size: int,
                  label: int,
                  num_classes: int,
                  return_part: bool = False):
    """Draw one image of class ``label``.

    The label reaches only :func:`paint_part`, which is called last: with
    the same random state, images of two classes differ only on the part.

    Args:
        rng (np.random.Generator): Randomness (the only source).
        size (int): Image side in pixels (>= :data:`MIN_SIZE`).
        label (int): Class, 0-based.
        num_classes (int): Number of classes (<= :data:`MAX_CLASSES`).
        return_part (bool): Also return the part's mask. Defaults to False.

    Returns:
        tuple: ``(image, mask, box)``, or ``(image, mask, box, part)``:
        uint8 BGR image (size, size, 3), bool object mask (size, size),
        its tight box ``(x0, y0, x1, y1)`` with exclusive ends, and the
        bool part mask.
    """
    class_cue(label, num_classes)  # validate before drawing anything
    if size < MIN_SIZE:
        raise ValueError(f'render_sample: size must be >= {MIN_SIZE}, '
                         f'got {size}')
    body, part = sample_object_masks(rng, size)
    obj = body | part
    box = mask_box(obj)
    img = textured_background(rng, size)
    for _ in range(int(rng.integers(1, 5))):
        region = _distractor_mask(rng, size, box)
        neutral = rng.random() < 0.5
        colour = (
            neutral_colour(rng) if neutral else off_class_colour(
                rng, num_classes))
        tex = neutral_texture(rng, size)
        if region is not None:
            _paint(img, region, colour, tex, rng)
    _paint(img, body, neutral_colour(rng), neutral_texture(rng, size), rng)
    paint_part(img, part, label, num_classes, rng)
    img = np.clip(img + 0.5, 0, 255).astype(np.uint8)
    if return_part:
        return img, obj, box, part
    return img, obj, box


def benchmark_renderer(benchmark: str) -> Tuple[Callable, Callable, int]:
    """The renderer, class-folder namer and class limit of a benchmark.

    Args:
        benchmark (str): One of :data:`BENCHMARKS`.

    Returns:
        tuple: ``(render(rng, size, label, num_classes, return_part),
        class_dir_name(label, num_classes), max classes)``.
    """
    check_choice('benchmark', benchmark, BENCHMARKS)
    if benchmark == 'part_stress':
        return render_sample, class_dir_name, MAX_CLASSES
    from . import cub_like  # it draws with this module's helpers
    return (cub_like.render_cub_like, cub_like.class_dir_name,
            cub_like.MAX_CUB_LIKE_CLASSES)


def sample_rng(seed: int, split: str, index: int) -> np.random.Generator:
    """The random stream of image ``index`` of ``split`` (``'train'`` or
    ``'test'``), independent of every other image's."""
    return np.random.default_rng(
        np.random.SeedSequence([seed, _SPLIT_CODES[split], index]))


def _encode(ext: str, array: np.ndarray) -> bytes:
    params = [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY] if ext == '.jpg' else []
    ok, buf = cv2.imencode(ext, array, params)
    if not ok:
        raise RuntimeError(f'cv2 could not encode a {ext} image')
    return buf.tobytes()


def _check_args(classes: int, train: int, test: int, size: int, seed: int,
                max_classes: int) -> None:
    problems = []
    if not 1 <= classes <= max_classes:
        problems.append(f'classes must be in 1..{max_classes} '
                        f'(got {classes})')
    if train < 0 or test < 0 or train + test < 1:
        problems.append(f'train and test must be >= 0 with at least one '
                        f'image (got train={train}, test={test})')
    if size < MIN_SIZE:
        problems.append(f'size must be >= {MIN_SIZE} (got {size})')
    if seed < 0:
        problems.append(f'seed must be >= 0 (got {seed})')
    if problems:
        raise ValueError('write_synthetic_wsol: ' + '; '.join(problems))


def _prepare_folder(out: str, meta: dict) -> bool:
    """Decide what to do with ``out``; True when it is already done.

    Temp files that a killed run of ours left in ``out`` are removed.

    Raises:
        ValueError: ``out`` holds a dataset made with other arguments.
        FileExistsError: ``out`` is non-empty and is not ours.
    """
    meta_path = osp.join(out, META_FILE)
    # A run killed while writing the first meta left only its temp file:
    # the folder is still ours and empty.
    remove_stale_temps(out, META_FILE)
    if osp.isfile(meta_path):
        try:
            with open(meta_path) as f:
                recorded = json.load(f)
        except (OSError, ValueError) as err:
            raise ValueError(f'{meta_path}: unreadable ({err}); delete '
                             f'{out} and generate again') from None
        if not isinstance(recorded, dict):
            recorded = {}
        made = (recorded.get('version'),
                recorded.get('args', {
                    k: v
                    for k, v in recorded.items() if k != 'version'
                }))
        if made != (meta['version'], meta['args']):
            raise ValueError(
                f'{meta_path}: {out} already holds a synthetic dataset made '
                f'with {made[1]} by generator version {made[0]}, not with '
                f'{meta["args"]} by version {meta["version"]}; choose '
                f'another --out or delete {out}')
        done = recorded.get('complete') is True and all(
            osp.isfile(osp.join(out, name)) for name in INDEX_FILES)
        if not done:  # an interrupted run with these args is redone
            remove_stale_temps(out, recursive=True)
        return done
    if osp.isdir(out) and os.listdir(out):
        raise FileExistsError(
            f'{out} is not empty and has no {META_FILE}: it is not a '
            f'synthetic dataset of this generator; not writing into it. '
            f'Choose an empty or new --out')
    if osp.exists(out) and not osp.isdir(out):
        raise FileExistsError(f'{out} exists and is not a folder')
    return False


def write_synthetic_wsol(out: str,
                         classes: int = 8,
                         train: int = 400,
                         test: int = 160,
                         size: int = 128,
                         seed: int = 0,
                         benchmark: str = 'part_stress') -> Dict:
    """Write a generated WSOL dataset to ``out`` in the CUB layout.

    ``train`` and ``test`` are TOTAL image counts; classes cycle over each
    split (image ``j`` of a split has label ``j % classes``), so per-class
    counts differ by at most one. Train images get ids ``1..train``, test
    images the next ``test`` ids.

    Images and masks are written first, the index files after them (with
    ``images.txt`` last) and ``synthetic_meta.json`` with ``"complete":
    true`` at the very end, every file atomically, so an interrupted run
    never looks complete; running again with the same arguments redoes it.
    A complete folder made with the same arguments is left as it is; one
    made with other arguments is an error, and so is a non-empty folder
    that this generator did not make.

    Args:
        out (str): Output folder.
        classes (int): Number of classes, 1..:data:`MAX_CLASSES`.
            Defaults to 8.
        train (int): Number of training images in total. Defaults to 400.
        test (int): Number of test images in total. Defaults to 160.
        size (int): Image side in pixels. Defaults to 128.
        seed (int): Seed (>= 0); the same arguments give the same bytes.
            Defaults to 0.
        benchmark (str): One of :data:`BENCHMARKS`. Defaults to
            ``'part_stress'`` (the stress test; the command line defaults
            to ``'cub_like'``).

    Returns:
        dict: The content of ``synthetic_meta.json``, plus ``written``:
        False when ``out`` was already complete and nothing was written.
    """
    render, dir_name, max_classes = benchmark_renderer(benchmark)
    _check_args(classes, train, test, size, seed, max_classes)
    args = dict(classes=classes, train=train, test=test, size=size, seed=seed)
    if benchmark != 'part_stress':
        # Only named when not the stress test, so that folders written
        # before the CUB-like benchmark existed still match their args.
        args['benchmark'] = benchmark
    meta = dict(
        # The module's name before it moved here: kept so that the same
        # arguments still give the same bytes (the meta included).
        generator='spol_mm.datasets.synthetic',
        version=GENERATOR_VERSION,
        args=args,
        complete=False)
    meta_path = osp.join(out, META_FILE)
    if _prepare_folder(out, meta):
        return dict(meta, complete=True, written=False)
    os.makedirs(out, exist_ok=True)
    # No fsync per file (thousands of them); the meta's bytes are kept as
    # earlier runs of this generator version wrote them.
    atomic_write_text(meta_path, json.dumps(meta, indent=1), durable=False)

    names = [dir_name(k, classes) for k in range(classes)]
    tables = {name: [] for name in INDEX_FILES}
    tables['classes.txt'] = [f'{k + 1} {n}' for k, n in enumerate(names)]
    img_id = 0
    for split, count in (('train', train), ('test', test)):
        for j in range(count):
            img_id += 1
            label = j % classes
            rel = f'{names[label]}/sample_{img_id:05d}'
            img, mask, (x0, y0, x1, y1) = render(
                sample_rng(seed, split, j), size, label, classes)
            atomic_write_bytes(
                osp.join(out, 'images', rel + '.jpg'), _encode('.jpg', img),
                durable=False)
            atomic_write_bytes(
                osp.join(out, 'segmentations', rel + '.png'),
                _encode('.png',
                        mask.astype(np.uint8) * 255),
                durable=False)
            tables['images.txt'].append(f'{img_id} {rel}.jpg')
            tables['image_class_labels.txt'].append(f'{img_id} {label + 1}')
            tables['train_test_split.txt'].append(
                f'{img_id} {_SPLIT_CODES[split]}')
            tables['bounding_boxes.txt'].append(
                f'{img_id} {float(x0)} {float(y0)} {float(x1 - x0)} '
                f'{float(y1 - y0)}')
    for name in INDEX_FILES:  # images.txt last: loaders need all five
        atomic_write_text(
            osp.join(out, name), '\n'.join(tables[name]) + '\n',
            durable=False)
    meta['complete'] = True
    atomic_write_text(meta_path, json.dumps(meta, indent=1), durable=False)
    return dict(meta, written=True)
