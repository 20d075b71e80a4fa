"""A generated WSOL benchmark faithful to CUB-200-2011's properties.

What it copies from CUB (and nothing from any method under test)
-----------------------------------------------------------------
* **Object size.** One bird per image; its box covers on average about a
  third of the image (CUB's test boxes: 34 %), from about a tenth to
  two thirds, at any position, facing left or right, tilted.
* **Where class evidence lives.** Classes come in families of
  :data:`FAMILY_SIZE` related species. A family shares the body's colour,
  its proportions and the tail; a species adds a head colour of its own
  (the most discriminative part), a wing pattern and a slight tint of the
  body, both shown less reliably than the head (an image shows its
  species' wing pattern with probability :data:`WING_RELIABILITY`). So
  the evidence lies over the whole bird with graded strength, strongest on
  the head, and related classes share most of their look, as with birds of
  one genus.
* **Clutter.** Backgrounds are natural scenes drawn from one distribution
  for every class: a sky-to-foliage gradient, blotches in foliage colours,
  leaves, branches (which may pass behind the bird) and fine grain,
  sometimes out of focus. Their statistics differ from the birds'
  (desaturated greens / browns / greys, more fine texture; birds are
  smoother and more saturated): :mod:`.properties` measures it.

The ground truth mask is the bird (body, head, beak, tail); it is never
occluded, so the box is unambiguous. The class's cues are a deterministic
function of the label (:func:`species_look`), everything else of the
image's random stream.

:func:`render_cub_like` has the signature of the part-only stress test's
renderer, so the same writer (:func:`~.synthetic.write_synthetic_wsol`,
``benchmark='cub_like'``) stores both in the CUB layout.
"""
import colorsys
from typing import Dict, NamedTuple

import cv2
import numpy as np

from .synthetic import (_ellipse_polygon, _fill, _grain, _rotate,
                        _smooth_noise, _upsample, _waves, mask_box)

__all__ = [
    'FAMILY_SIZE', 'WING_PATTERNS', 'WING_RELIABILITY', 'BODY_HUE_JITTER',
    'BODY_SAT_JITTER', 'HEAD_SIZE', 'TAIL_LENGTH', 'BOX_SIDE_RANGE',
    'MAX_CUB_LIKE_CLASSES', 'SpeciesLook', 'species_look', 'class_dir_name',
    'render_cub_like'
]

#: Species per family (the last family may be smaller).
FAMILY_SIZE = 3
#: Wing patterns; species ``s`` of a family wears pattern ``s``.
WING_PATTERNS = ('plain', 'bars', 'spots')
#: Probability that an image shows its species' wing pattern (else one of
#: the family's other patterns): the wing is a weaker cue than the head.
WING_RELIABILITY = 0.7
#: Per-image spread (std) of the body's hue and saturation around the
#: family's: the body tells the family only probabilistically, as a bird's
#: colour varies with light, age and sex.
BODY_HUE_JITTER = 0.08
BODY_SAT_JITTER = 0.12
#: Head radius / body half-height.
HEAD_SIZE = (0.45, 0.58)
#: Tail length / body half-length, from the shortest to the longest family.
TAIL_LENGTH = (0.7, 1.3)
#: sqrt(box area / image area) is uniform in this range: mean area 0.35
#: before the longest side is capped at the image side.
BOX_SIDE_RANGE = (0.36, 0.8)
#: Head hues stay distinguishable up to this many classes.
MAX_CUB_LIKE_CLASSES = 36


class SpeciesLook(NamedTuple):
    """What tells a species apart (all hues in [0, 1))."""
    family: int
    species: int
    body_hue: float
    body_sat: float
    head_hue: float
    wing_pattern: str
    tail_length: float
    body_aspect: float


def _num_families(num_classes: int) -> int:
    return -(-num_classes // FAMILY_SIZE)


def species_look(label: int, num_classes: int) -> SpeciesLook:
    """The class cues of ``label``: a deterministic function of the label.

    Families have evenly spaced body hues; the species of a family have
    head hues a third of the hue circle apart, shifted by the family so
    that all head hues differ; the body tint moves the family hue by
    +-0.025 per species.

    Args:
        label (int): Class, 0-based.
        num_classes (int): Number of classes (<= :data:`MAX_CUB_LIKE_
            CLASSES`).

    Returns:
        SpeciesLook: The species' cues.
    """
    if not 0 <= label < num_classes <= MAX_CUB_LIKE_CLASSES:
        raise ValueError(f'need 0 <= label < num_classes <= '
                         f'{MAX_CUB_LIKE_CLASSES}, got label {label}, '
                         f'num_classes {num_classes}')
    families = _num_families(num_classes)
    family, species = divmod(label, FAMILY_SIZE)
    body_hue = (family + 0.5) / families + 0.025 * (species - 1)
    head_hue = species / FAMILY_SIZE + family / (FAMILY_SIZE * families)
    # Family proportions, spread evenly over plausible bird shapes; the
    # golden-ratio steps scatter saturation and aspect over the families.
    t = family / max(families - 1, 1)
    tail = TAIL_LENGTH[0] + (TAIL_LENGTH[1] - TAIL_LENGTH[0]) * t
    return SpeciesLook(
        family=family,
        species=species,
        body_hue=body_hue % 1.0,
        body_sat=0.35 + 0.25 * ((family * 0.618) % 1.0),
        head_hue=head_hue % 1.0,
        wing_pattern=WING_PATTERNS[species % len(WING_PATTERNS)],
        tail_length=tail,
        body_aspect=0.5 + 0.15 * ((family * 0.382) % 1.0))


def class_dir_name(label: int, num_classes: int) -> str:
    """CUB-style class folder, e.g. ``'004.family2_species1'``."""
    look = species_look(label, num_classes)
    return (f'{label + 1:03d}.family{look.family + 1}_'
            f'species{look.species + 1}')


def _hsv(hue: float, sat: float, val: float) -> np.ndarray:
    r, g, b = colorsys.hsv_to_rgb(hue % 1.0, float(np.clip(sat, 0, 1)),
                                  float(np.clip(val, 0, 1)))
    return np.array([b, g, r], np.float32) * 255


def _nature_colour(rng: np.random.Generator) -> np.ndarray:
    """A background colour: foliage, bark, ground or sky (desaturated)."""
    kind = rng.integers(4)
    if kind == 0:  # foliage
        return _hsv(rng.uniform(0.2, 0.38), rng.uniform(0.25, 0.6),
                    rng.uniform(0.25, 0.65))
    if kind == 1:  # bark, ground
        return _hsv(rng.uniform(0.05, 0.12), rng.uniform(0.2, 0.5),
                    rng.uniform(0.2, 0.55))
    if kind == 2:  # sky, water
        return _hsv(rng.uniform(0.52, 0.62), rng.uniform(0.05, 0.35),
                    rng.uniform(0.55, 0.92))
    return _hsv(rng.random(), rng.uniform(0.0, 0.15), rng.uniform(0.3, 0.8))


def _background(rng: np.random.Generator, size: int) -> np.ndarray:
    """A cluttered natural scene (float32 BGR, not clipped)."""
    t = np.linspace(0, 1, size, dtype=np.float32)[:, None, None]
    img = (1 - t) * _nature_colour(rng) + t * _nature_colour(rng)
    img = np.broadcast_to(img, (size, size, 3)).copy()
    grid = int(rng.integers(3, 8))
    blotches = np.stack([_nature_colour(rng) for _ in range(grid * grid)])
    blotches = _upsample(blotches.reshape(grid, grid, 3), size)
    img = img * (1 - 0.55) + blotches * 0.55
    # Leaves: many small ellipses in foliage colours.
    leaves = []
    for _ in range(int(rng.integers(10, 45))):
        centre = rng.uniform(0, size, 2)
        r = rng.uniform(0.012, 0.05) * size
        leaves.append(
            _ellipse_polygon(centre, r, r * rng.uniform(0.3, 0.7),
                             rng.uniform(0, np.pi), 12))
    for mask in _fill(leaves, (size, size)):
        img[mask] = _nature_colour(rng) + _grain(rng, 3, 12)
    # Branches: thick bent lines, bark-coloured.
    canvas = np.zeros((size, size), np.uint8)
    for _ in range(int(rng.integers(1, 4))):
        p0, p1 = rng.uniform(-0.1, 1.1, (2, 2)) * size
        mid = (p0 + p1) / 2 + rng.normal(0, 0.08 * size, 2)
        pts = np.array([p0, mid, p1], np.int32).reshape(-1, 1, 2)
        cv2.polylines(canvas, [pts], False, 1,
                      int(rng.uniform(0.012, 0.04) * size) + 1, cv2.LINE_8)
    bark = canvas.astype(bool)
    img[bark] = _hsv(rng.uniform(0.05, 0.11), rng.uniform(0.2, 0.5),
                     rng.uniform(0.15, 0.45))
    img += rng.uniform(6, 14) * _smooth_noise(rng, size, size // 8)[..., None]
    if rng.random() < 0.4:  # out of focus behind the bird
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(1.0, 2.5))
    img += _grain(rng, img.shape, rng.uniform(8, 16))
    return img


def _bird_polygons(rng: np.random.Generator,
                   look: SpeciesLook) -> Dict[str, np.ndarray]:
    """The bird's parts as polygons in its own frame (body length 2)."""
    aspect = look.body_aspect * rng.uniform(0.9, 1.1)
    b = aspect  # body half-height (half-length 1)
    head_r = b * rng.uniform(*HEAD_SIZE)
    head_c = np.array([0.85, -b * 0.75])
    tail_len = look.tail_length * rng.uniform(0.85, 1.15)
    droop = rng.uniform(-0.1, 0.4)
    tail = np.array([[-0.75, -0.25 * b], [-0.75 - tail_len, droop - 0.2 * b],
                     [-0.75 - tail_len, droop + 0.25 * b], [-0.7, 0.3 * b]])
    beak_len = head_r * rng.uniform(0.6, 1.0)
    beak = np.array([[head_c[0] + head_r * 0.8, head_c[1] - head_r * 0.25],
                     [head_c[0] + head_r * 0.8 + beak_len, head_c[1] + 0.05],
                     [head_c[0] + head_r * 0.8, head_c[1] + head_r * 0.3]])
    return dict(
        body=_ellipse_polygon((0, 0), 1.0, b, 0.0, 48),
        wing=_ellipse_polygon((-0.2, -0.15 * b), 0.7, 0.6 * b,
                              rng.uniform(-0.15, 0.1), 32),
        tail=tail,
        head=_ellipse_polygon(head_c, head_r, head_r, 0.0, 32),
        beak=beak,
        eye=_ellipse_polygon(head_c + [head_r * 0.35, -head_r * 0.15],
                             head_r * 0.16, head_r * 0.16, 0.0, 12))


def _place(rng: np.random.Generator, polys: Dict[str, np.ndarray],
           size: int) -> Dict[str, np.ndarray]:
    """Flip, tilt, scale and move the bird into the image (pixel frame)."""
    angle = rng.uniform(-0.6, 0.6)
    flip = rng.random() < 0.5
    out = {}
    for name, pts in polys.items():
        pts = pts * [-1, 1] if flip else pts
        out[name] = _rotate(pts, angle)
    outline = np.concatenate([out[k] for k in ('body', 'tail', 'head',
                                               'beak')])
    lo, hi = outline.min(0), outline.max(0)
    w, h = hi - lo
    area = rng.uniform(*BOX_SIDE_RANGE)**2 * size * size
    scale = min(np.sqrt(area / (w * h)), (size - 2) / max(w, h))
    offset = rng.uniform(0, 1, 2) * (size - 2 - np.array([w, h]) * scale) + 1
    return {k: (p - lo) * scale + offset for k, p in out.items()}


def _paint(img: np.ndarray, region: np.ndarray, colour: np.ndarray,
           tex: np.ndarray) -> None:
    img[region] = colour + tex[region][:, None]


def render_cub_like(rng: np.random.Generator,
                    size: int,
                    label: int,
                    num_classes: int,
                    return_part: bool = False):
    """Draw one image of class ``label``.

    Args:
        rng (np.random.Generator): Randomness (the only source).
        size (int): Image side in pixels (>= 32).
        label (int): Class, 0-based.
        num_classes (int): Number of classes.
        return_part (bool): Also return the head's mask (the most
            discriminative part: head, eye and beak). Defaults to False.

    Returns:
        tuple: ``(image, mask, box)`` or ``(image, mask, box, head)``:
        uint8 BGR image (size, size, 3), bool bird mask, its tight box
        ``(x0, y0, x1, y1)`` with exclusive ends, the bool head mask.
    """
    look = species_look(label, num_classes)
    if size < 32:
        raise ValueError(f'render_cub_like: size must be >= 32, got {size}')
    polys = _place(rng, _bird_polygons(rng, look), size)
    names = list(polys)
    masks = dict(zip(names, _fill([polys[k] for k in names], (size, size))))
    head = masks['head'] | masks['beak']
    bird = masks['body'] | masks['tail'] | head
    img = _background(rng, size)

    # Feather texture: smooth and fine-grained less than the background's.
    tex = rng.uniform(5, 10) * _smooth_noise(rng, size, size // 12)
    tex += _grain(rng, (size, size), 2)
    body_hue = look.body_hue + rng.normal(0, BODY_HUE_JITTER)
    body_sat = look.body_sat + rng.normal(0, BODY_SAT_JITTER)
    body_val = rng.uniform(0.5, 0.85)
    body = _hsv(body_hue, body_sat, body_val)
    # A lighter belly: the body colour fades towards its lower side.
    ys = np.arange(size, dtype=np.float32)[:, None]
    y0, y1 = np.nonzero(masks['body'].any(1))[0][[0, -1]]
    belly = np.clip((ys - y0) / max(y1 - y0, 1), 0, 1) * rng.uniform(15, 45)
    _paint(img, masks['body'], body, tex + belly)
    _paint(img, masks['tail'], body * 0.7, tex)

    # The wing: darker body colour with the species' pattern (not always).
    pattern = look.wing_pattern
    if rng.random() > WING_RELIABILITY:
        others = [p for p in WING_PATTERNS if p != pattern]
        pattern = others[int(rng.integers(len(others)))]
    wing = masks['wing'] & masks['body']
    wing_tex = tex.copy()
    light = rng.uniform(45, 75)
    if pattern == 'bars':
        wing_tex += light * (_waves(rng, size, rng.uniform(0.05, 0.08) *
                                    size) > 0.6)
    elif pattern == 'spots':
        wing_tex += light * (_smooth_noise(rng, size, size // 10) > 1.1)
    _paint(img, wing, body * 0.65, wing_tex)

    head_colour = _hsv(look.head_hue + rng.normal(0, 0.01),
                       rng.uniform(0.7, 0.95), rng.uniform(0.65, 0.95))
    _paint(img, masks['head'], head_colour, tex)
    _paint(img, masks['beak'],
           _hsv(rng.uniform(0.08, 0.14), rng.uniform(0.1, 0.5),
                rng.uniform(0.15, 0.6)), tex)
    img[masks['eye']] = rng.uniform(10, 35)
    img = np.clip(img + 0.5, 0, 255).astype(np.uint8)
    box = mask_box(bird)
    if return_part:
        return img, bird, box, head
    return img, bird, box
