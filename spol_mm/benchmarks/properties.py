"""Measured properties of a generated benchmark, against CUB's.

The generator claims its data look like CUB-200-2011 in the ways that
matter for WSOL; this module measures the claims on the generated images
themselves (re-rendered from their random streams, so nothing is read from
disk) and says which targets hold:

* object size: box area / image area (CUB's test boxes: 0.34 on average);
* pose, scale and position vary: spread of the box's area and centre;
* clutter that differs from the objects: saturation and fine texture
  (mean |Laplacian|) of object vs background pixels;
* where the class evidence lives: two small oracle CNNs trained on the
  training images and tested on the test images, one seeing only the most
  discriminative part (everything else grey), one seeing the object with
  that part greyed out. In CUB the head is the strongest cue but the rest
  of the bird carries class evidence too: "rest alone" must stay far above
  chance, "part alone" must beat it. For the CUB-like benchmark, the share
  of the "rest alone" errors that stay within the family shows that
  related classes share most of their look.

torch is imported inside :func:`oracle_accuracy` only.
"""
import json
import os.path as osp
from typing import Dict, List, Tuple

import cv2
import numpy as np

from spol_mm.utils.fileio import atomic_write_json
from .cub_like import FAMILY_SIZE
from .synthetic import META_FILE, benchmark_renderer, sample_rng

__all__ = [
    'ORACLE_SIZE', 'CUB_BOX_AREA', 'region_statistics', 'oracle_accuracy',
    'PROPERTIES_FILE', 'measure_properties', 'dataset_properties',
    'property_checks', 'format_properties'
]

#: Written next to ``synthetic_meta.json`` by :func:`dataset_properties`.
PROPERTIES_FILE = 'benchmark_properties.json'

#: Side of the oracles' input images.
ORACLE_SIZE = 48
#: Mean box area / image area of CUB-200-2011's test images.
CUB_BOX_AREA = 0.34
_GREY = 128


def region_statistics(img: np.ndarray, mask: np.ndarray) -> Dict[str, float]:
    """Colour and texture statistics of the object and of the background.

    Args:
        img (np.ndarray): uint8 BGR image.
        mask (np.ndarray): bool object mask.

    Returns:
        dict: ``{object,background}_{saturation,fine_texture}``: mean HSV
        saturation in [0, 1] and mean absolute Laplacian of the grey image,
        each over the region's pixels 2 px away from the outline.
    """
    sat = cv2.cvtColor(img, cv2.COLOR_BGR2HSV)[..., 1] / 255.0
    grey = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY).astype(np.float32)
    lap = np.abs(cv2.Laplacian(grey, cv2.CV_32F))
    kernel = np.ones((5, 5), np.uint8)
    m = mask.astype(np.uint8)
    out = {}
    for name, region in (('object', cv2.erode(m, kernel) > 0),
                         ('background', cv2.dilate(m, kernel) == 0)):
        if region.any():
            out[f'{name}_saturation'] = float(sat[region].mean())
            out[f'{name}_fine_texture'] = float(lap[region].mean())
    return out


def _masked_small(img: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """The image with everything outside ``keep`` grey, at ORACLE_SIZE."""
    out = np.where(keep[..., None], img, np.uint8(_GREY))
    return cv2.resize(out, (ORACLE_SIZE, ORACLE_SIZE),
                      interpolation=cv2.INTER_AREA)


def oracle_accuracy(train: Tuple[np.ndarray, np.ndarray],
                    test: Tuple[np.ndarray, np.ndarray],
                    num_classes: int,
                    epochs: int = 20,
                    seed: int = 0) -> Tuple[float, np.ndarray]:
    """Train a small CNN on ``train`` and test it on ``test``.

    Args:
        train (tuple): uint8 images (N, H, W, 3) and labels (N,).
        test (tuple): The same for the test images.
        num_classes (int): Number of classes.
        epochs (int): Training epochs (Adam, batch 32, flips). Defaults to
            20.
        seed (int): torch seed. Defaults to 0.

    Returns:
        tuple: Test accuracy in [0, 1] and the predicted labels.
    """
    import torch
    from torch import nn

    gen = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)

    def tensor(images):
        x = torch.from_numpy(images).permute(0, 3, 1, 2).float()
        return (x - _GREY) / 64.0

    x, y = tensor(train[0]), torch.from_numpy(train[1]).long()
    net = nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
        nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32),
        nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3, padding=1),
        nn.BatchNorm2d(64), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        nn.Linear(64, num_classes))
    opt = torch.optim.Adam(net.parameters(), lr=3e-3, weight_decay=1e-4)
    for _ in range(epochs):
        net.train()
        order = torch.randperm(len(x), generator=gen)
        for i in range(0, len(x), 32):
            idx = order[i:i + 32]
            xb = x[idx]
            flip = torch.rand(len(idx), generator=gen) < 0.5
            xb = torch.where(flip[:, None, None, None], xb.flip(3), xb)
            loss = nn.functional.cross_entropy(net(xb), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    net.eval()
    with torch.no_grad():
        pred = net(tensor(test[0])).argmax(1).numpy()
    return float((pred == test[1]).mean()), pred


def measure_properties(classes: int,
                       train: int,
                       test: int,
                       size: int,
                       seed: int = 0,
                       benchmark: str = 'cub_like',
                       oracle_epochs: int = 20) -> Dict[str, float]:
    """Measure a generated benchmark's properties (see the module doc).

    The images are rendered again from the same streams as
    :func:`~.synthetic.write_synthetic_wsol` with the same arguments.

    Args:
        classes, train, test, size, seed, benchmark: The generator's
            arguments.
        oracle_epochs (int): Training epochs of each oracle. Defaults to 20.

    Returns:
        dict: The measured values (fractions in [0, 1]).
    """
    render = benchmark_renderer(benchmark)[0]
    areas, centres, stats = [], [], []
    crops: Dict[str, Dict[str, List[np.ndarray]]] = {
        split: dict(part=[], rest=[], label=[])
        for split in ('train', 'test')
    }
    for split, count in (('train', train), ('test', test)):
        for j in range(count):
            label = j % classes
            img, mask, box, part = render(
                sample_rng(seed, split, j), size, label, classes, True)
            x0, y0, x1, y1 = box
            areas.append((x1 - x0) * (y1 - y0) / size**2)
            centres.append(((x0 + x1) / 2 / size, (y0 + y1) / 2 / size))
            stats.append(region_statistics(img, mask))
            crops[split]['part'].append(_masked_small(img, part))
            crops[split]['rest'].append(_masked_small(img, mask & ~part))
            crops[split]['label'].append(label)
    out = dict(
        box_area_mean=float(np.mean(areas)),
        box_area_p5=float(np.percentile(areas, 5)),
        box_area_p95=float(np.percentile(areas, 95)),
        box_centre_std=float(np.std(centres, axis=0).mean()))
    for key in stats[0]:
        out[key] = float(np.mean([s[key] for s in stats if key in s]))
    out['chance'] = 1.0 / classes
    if train and test:
        labels = {k: np.array(v['label']) for k, v in crops.items()}
        for view in ('part', 'rest'):
            acc, pred = oracle_accuracy(
                (np.stack(crops['train'][view]), labels['train']),
                (np.stack(crops['test'][view]), labels['test']), classes,
                oracle_epochs)
            out[f'oracle_{view}_alone'] = acc
            if view == 'rest' and benchmark == 'cub_like':
                wrong = pred != labels['test']
                same = pred // FAMILY_SIZE == labels['test'] // FAMILY_SIZE
                out['rest_errors_within_family'] = float(
                    same[wrong].mean()) if wrong.any() else 1.0
    return out


def dataset_properties(root: str) -> Dict[str, float]:
    """The properties of the generated dataset in ``root``, measured once.

    The generator's arguments are read from ``synthetic_meta.json``; the
    result is kept in ``benchmark_properties.json`` beside it (with those
    arguments, so a stale file is measured again).

    Args:
        root (str): A complete folder of
            :func:`~.synthetic.write_synthetic_wsol`.

    Returns:
        dict: See :func:`measure_properties`.
    """
    with open(osp.join(root, META_FILE)) as f:
        args = json.load(f)['args']
    path = osp.join(root, PROPERTIES_FILE)
    if osp.isfile(path):
        with open(path) as f:
            cached = json.load(f)
        if cached.get('args') == args:
            return cached['properties']
    props = measure_properties(
        args['classes'], args['train'], args['test'], args['size'],
        args['seed'], args.get('benchmark', 'part_stress'))
    atomic_write_json(path, dict(args=args, properties=props), indent=1)
    return props


def property_checks(props: Dict[str, float]) -> List[Tuple[str, str, bool]]:
    """The targets of a CUB-faithful benchmark and whether they hold.

    Args:
        props (dict): The output of :func:`measure_properties`.

    Returns:
        list[tuple]: ``(what, measured vs target, holds)``.
    """
    checks = [('objects cover 30-40 % of the image (CUB: 34 %)',
               f'box area {props["box_area_mean"]:.1%} (5-95 %: '
               f'{props["box_area_p5"]:.0%}-{props["box_area_p95"]:.0%})',
               0.30 <= props['box_area_mean'] <= 0.40),
              ('position varies', f'box centre std '
               f'{props["box_centre_std"]:.2f} of the side',
               props['box_centre_std'] >= 0.08)]
    if 'background_saturation' in props and 'object_saturation' in props:
        checks.append(
            ('background statistics differ from the object',
             f'saturation {props["object_saturation"]:.2f} vs '
             f'{props["background_saturation"]:.2f}, fine texture '
             f'{props["object_fine_texture"]:.1f} vs '
             f'{props["background_fine_texture"]:.1f} (object vs bg)',
             props['object_saturation'] > props['background_saturation'] +
             0.1 and props['background_fine_texture'] >
             props['object_fine_texture']))
    if 'oracle_rest_alone' in props:
        chance = props['chance']
        checks += [
            ('class evidence beyond the part: rest alone far above chance',
             f'oracle on the object without its part '
             f'{props["oracle_rest_alone"]:.1%} (chance {chance:.1%})',
             props['oracle_rest_alone'] >= 3 * chance),
            ('the part is the strongest cue: part alone beats the rest',
             f'oracle on the part alone {props["oracle_part_alone"]:.1%}',
             props['oracle_part_alone'] > props['oracle_rest_alone'])
        ]
    if 'rest_errors_within_family' in props:
        checks.append(
            ('related classes share most of their look',
             f'{props["rest_errors_within_family"]:.0%} of the rest-alone '
             'oracle\'s errors stay within the family',
             props['rest_errors_within_family'] >= 0.5))
    return checks


def format_properties(props: Dict[str, float]) -> str:
    """The checks as lines ``[ok] what: measured`` / ``[MISS] ...``."""
    return '\n'.join(f'[{"ok" if ok else "MISS"}] {what}: {measured}'
                     for what, measured, ok in property_checks(props))
