"""Tiny WSOL data sets on disk, in the three layouts the datasets read.

Every image is black with its GT boxes drawn as filled white rectangles
(pixels ``[y0, y1) x [x0, x1)``), so a test can find a box in the
transformed image by its pixels. Images are stored as PNG bytes even under a
``.jpg`` / ``.JPEG`` name (OpenCV decodes by content): JPEG would blur the
edges.
"""
import os
import os.path as osp
from typing import Dict, List, Sequence, Tuple

import cv2
import numpy as np

Box = Tuple[int, int, int, int]  # x0, y0, x1, y1 (integers, exclusive end)


def draw_image(shape: Tuple[int, int], boxes: Sequence[Box]) -> np.ndarray:
    """BGR uint8 image, box ``i`` filled with 255 in channel ``i % 3``."""
    img = np.zeros((*shape, 3), dtype=np.uint8)
    for i, (x0, y0, x1, y1) in enumerate(boxes):
        img[y0:y1, x0:x1, i % 3] = 255
    return img


def draw_mask(shape: Tuple[int, int],
              boxes: Sequence[Box],
              value: int = 255) -> np.ndarray:
    """uint8 mask, ``value`` inside the boxes."""
    mask = np.zeros(shape, dtype=np.uint8)
    for x0, y0, x1, y1 in boxes:
        mask[y0:y1, x0:x1] = value
    return mask


def write_png(path: str, array: np.ndarray) -> None:
    os.makedirs(osp.dirname(path), exist_ok=True)
    ok, buf = cv2.imencode('.png', array)
    assert ok
    buf.tofile(path)


def write_lines(path: str, lines: Sequence[str]) -> None:
    os.makedirs(osp.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')


# --------------------------------------------------------------- CUB ----
CUB_CLASSES = [
    '001.Black_footed_Albatross', '002.Laysan_Albatross', '003.Sooty_Albatross'
]
# id, class id (from 1), train flag, (h, w), box x0, y0, x1, y1
CUB_IMAGES = [
    (1, 1, 1, (150, 200), (20, 30, 120, 110)),
    (2, 3, 1, (240, 180), (10, 40, 170, 200)),
    (3, 2, 0, (160, 240), (40, 20, 200, 150)),
    (4, 3, 0, (200, 200), (5, 60, 100, 190)),
]


def cub_rel_path(img: int, cls: int) -> str:
    folder = CUB_CLASSES[cls - 1]
    return f'{folder}/{folder.split(".")[1]}_{img:04d}_{img}.jpg'


def make_cub(root: str, with_masks: bool = True) -> Dict[int, dict]:
    """Write a 4-image CUB-200-2011 tree; return its truth by image id."""
    truth = {}
    images, labels, split, boxes = [], [], [], []
    for img, cls, train, shape, box in CUB_IMAGES:
        rel = cub_rel_path(img, cls)
        write_png(osp.join(root, 'images', rel), draw_image(shape, [box]))
        if with_masks:
            write_png(
                osp.join(root, 'segmentations', rel[:-4] + '.png'),
                draw_mask(shape, [box]))
        x0, y0, x1, y1 = box
        images.append(f'{img} {rel}')
        labels.append(f'{img} {cls}')
        split.append(f'{img} {train}')
        boxes.append(f'{img} {float(x0)} {float(y0)} {float(x1 - x0)} '
                     f'{float(y1 - y0)}')
        truth[img] = dict(
            rel=rel, label=cls - 1, train=train, shape=shape, box=box)
    write_lines(osp.join(root, 'images.txt'), images)
    write_lines(osp.join(root, 'image_class_labels.txt'), labels)
    write_lines(osp.join(root, 'train_test_split.txt'), split)
    write_lines(osp.join(root, 'bounding_boxes.txt'), boxes)
    write_lines(
        osp.join(root, 'classes.txt'),
        [f'{i} {name}' for i, name in enumerate(CUB_CLASSES, start=1)])
    return truth


# ---------------------------------------------------------- ImageNet ----
IMAGENET_WNIDS = ['n01440764', 'n01443537', 'n01484850']
# train images: class folder, name, (h, w)
IMAGENET_TRAIN = [
    ('n01440764', 'n01440764_10026.JPEG', (120, 160)),
    ('n01440764', 'n01440764_10027.JPEG', (100, 100)),
    ('n01484850', 'n01484850_4.JPEG', (90, 130)),
]
# val images: name, wnid, (h, w), boxes
IMAGENET_VAL = [
    ('ILSVRC2012_val_00000001.JPEG', 'n01484850', (180, 240),
     [(10, 20, 100, 150), (120, 30, 230, 170)]),
    ('ILSVRC2012_val_00000002.JPEG', 'n01440764', (200, 160), [(30, 40, 150,
                                                                190)]),
]


def voc_xml(name: str, shape: Tuple[int, int],
            objects: Sequence[Tuple[str, Sequence]]) -> str:
    """A Pascal-VOC box file (ImageNet style)."""
    h, w = shape
    parts = [
        '<annotation>', f'\t<filename>{name}</filename>', '\t<size>',
        f'\t\t<width>{w}</width>', f'\t\t<height>{h}</height>',
        '\t\t<depth>3</depth>', '\t</size>'
    ]
    for wnid, (x0, y0, x1, y1) in objects:
        parts += [
            '\t<object>', f'\t\t<name>{wnid}</name>', '\t\t<bndbox>',
            f'\t\t\t<xmin>{x0}</xmin>', f'\t\t\t<ymin>{y0}</ymin>',
            f'\t\t\t<xmax>{x1}</xmax>', f'\t\t\t<ymax>{y1}</ymax>',
            '\t\t</bndbox>', '\t</object>'
        ]
    parts.append('</annotation>')
    return '\n'.join(parts) + '\n'


def make_imagenet(root: str) -> None:
    """Write train/<wnid>/ (plus an empty class folder), val/, val_boxes/."""
    for wnid in IMAGENET_WNIDS:
        os.makedirs(osp.join(root, 'train', wnid), exist_ok=True)
    for wnid, name, shape in IMAGENET_TRAIN:
        write_png(osp.join(root, 'train', wnid, name), draw_image(shape, []))
    for name, wnid, shape, boxes in IMAGENET_VAL:
        write_png(osp.join(root, 'val', name), draw_image(shape, boxes))
        xml = voc_xml(name, shape, [(wnid, b) for b in boxes])
        write_lines(
            osp.join(root, 'val_boxes', name[:-5] + '.xml'), xml.splitlines())


# ---------------------------------------------------------- metadata ----
# image id, label, (h, w), boxes
META_BOX_IMAGES = [
    ('001.Black_footed_Albatross/a_1.jpg', 0, (120, 160), [(10, 20, 90, 100)]),
    ('002.Laysan_Albatross/b_2.jpg', 1, (150, 150), [(5, 5, 60, 70),
                                                     (70, 80, 140, 140)]),
    ('002.Laysan_Albatross/c_3.jpg', 1, (100, 200), [(50, 10, 190, 90)]),
]
# OpenImages style: image id, label, (h, w), instance boxes, ignore box
META_MASK_IMAGES = [
    ('test/01226z/7af766bd43da900b.jpg', 0, (80, 120), [(10, 10, 50, 60),
                                                        (70, 20, 110, 70)],
     (0, 0, 120, 80)),
    ('test/0138tl/0493e6c7cc0d4658.jpg', 1, (90, 90), [(20, 30, 60, 80)],
     None),
]


def make_metadata_boxes(root: str) -> Tuple[str, str]:
    """Images under ``root/dataset/CUB``, metadata under
    ``root/metadata/CUB/test``; returns both folders."""
    img_root = osp.join(root, 'dataset', 'CUB')
    meta = osp.join(root, 'metadata', 'CUB', 'test')
    ids, labels, sizes, locs = [], [], [], []
    for img_id, label, shape, boxes in META_BOX_IMAGES:
        write_png(osp.join(img_root, img_id), draw_image(shape, boxes))
        ids.append(img_id)
        labels.append(f'{img_id},{label}')
        sizes.append(f'{img_id},{shape[1]},{shape[0]}')
        locs += [f'{img_id},{x0},{y0},{x1},{y1}' for x0, y0, x1, y1 in boxes]
    write_lines(osp.join(meta, 'image_ids.txt'), ids)
    write_lines(osp.join(meta, 'class_labels.txt'), labels)
    write_lines(osp.join(meta, 'image_sizes.txt'), sizes)
    write_lines(osp.join(meta, 'localization.txt'), locs)
    return img_root, meta


def make_metadata_masks(root: str) -> Tuple[str, str]:
    """OpenImages-style: masks listed in localization.txt, no sizes file."""
    img_root = osp.join(root, 'dataset', 'OpenImages')
    meta = osp.join(root, 'metadata', 'OpenImages', 'test')
    ids, labels, locs = [], [], []
    for img_id, label, shape, boxes, ignore in META_MASK_IMAGES:
        write_png(osp.join(img_root, img_id), draw_image(shape, boxes))
        stem = img_id[:-4]
        ids.append(img_id)
        labels.append(f'{img_id},{label}')
        ignore_rel = ''
        if ignore is not None:
            ignore_rel = f'{stem}_ignore.png'
            write_png(
                osp.join(img_root, ignore_rel), draw_mask(shape, [ignore]))
        for i, box in enumerate(boxes):
            mask_rel = f'{stem}_m{i}.png'
            write_png(osp.join(img_root, mask_rel), draw_mask(shape, [box]))
            locs.append(f'{img_id},{mask_rel},{ignore_rel if i == 0 else ""}')
    write_lines(osp.join(meta, 'image_ids.txt'), ids)
    write_lines(osp.join(meta, 'class_labels.txt'), labels)
    write_lines(osp.join(meta, 'localization.txt'), locs)
    return img_root, meta


def edit_line(path: str, lineno: int, text: str) -> None:
    """Replace line ``lineno`` (1-based) of a text file."""
    with open(path) as f:
        lines = f.read().splitlines()
    lines[lineno - 1] = text
    write_lines(path, lines)


def append_line(path: str, text: str) -> None:
    with open(path, 'a') as f:
        f.write(text + '\n')


def pixel_extent(plane: np.ndarray, threshold: int = 127) -> List[int]:
    """``x0, y0, x1, y1`` (exclusive) of the pixels above ``threshold``."""
    ys, xs = np.nonzero(plane > threshold)
    assert len(xs), 'nothing drawn is left in the image'
    return [int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1]
