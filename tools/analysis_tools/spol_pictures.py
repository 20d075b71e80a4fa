"""A picture grid of SPOL's steps on test images, as one PNG.

Columns per image: the image with the GT box (green), the CAM baseline's
box (blue) and SPOL's box (red); the CAM of the baseline; MFF-Net1's CAM;
the GPPL pseudo label MFF-Net1's CAM gives (white foreground, grey ignored,
black background); MFF-Net2's foreground probability with its 0.2 mask
outlined. Every map comes from the whole image (the protocol's frame).

Example (the ResNet-18 pipeline of docs/benchmark.md; ``tools/spol_demo.sh``
runs it with the Lite0 configs and ``--tile 256 --input-size 224``)::

    python tools/analysis_tools/spol_pictures.py \\
        --cam configs/spol/cam_r18_16e_synthetic.py CAM.pth \\
        --stage1 configs/spol/mffnet1_r18_16e_synthetic.py STAGE1.pth \\
        --stage2 configs/spol/mffnet2_r18_12e_synthetic.py STAGE2.pth \\
        --data data/synthetic_wsol --out work_dirs/pictures.png
"""
import argparse
from typing import List, Optional

import cv2
import numpy as np
import torch
from mmengine.config import Config

import spol_mm  # noqa: F401
from spol_mm.datasets import CUB200WSOLDataset
from spol_mm.pseudo_label import GPPLConfig, gppl_labels
from spol_mm.structures import largest_region_box
from spol_mm.utils.fileio import atomic_write_bytes
from spol_mm.utils import build_model_from_config
from spol_mm.utils.score_maps import network_score_map
from spol_mm.visualization.overlay import score_map_overlay

GREEN, BLUE, RED = (0, 200, 0), (255, 80, 0), (0, 0, 255)  # BGR
TITLES = ('image: GT / CAM / SPOL box', 'CAM baseline', 'MFF-Net1 CAM',
          'GPPL pseudo label', 'MFF-Net2 mask')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ('cam', 'stage1', 'stage2'):
        parser.add_argument(f'--{name}', nargs=2, required=True,
                            metavar=('CONFIG', 'CHECKPOINT'))
    parser.add_argument('--data', default='data/synthetic_wsol')
    parser.add_argument('--num-classes', type=int, default=None,
                        help="classes of the CAM and stage-1 models "
                        "(default: their configs')")
    parser.add_argument('--num', type=int, default=8, help='images (rows)')
    parser.add_argument('--input-size', type=int, default=112)
    parser.add_argument('--gppl-size', type=int, default=128,
                        help='side the CAM is resized to for GPPL')
    parser.add_argument('--threshold', type=float, default=0.2)
    parser.add_argument('--tile', type=int, default=None,
                        help='resize every image to this square side first '
                        '(needed when image sizes differ; default: keep)')
    parser.add_argument('--scale', type=int, default=2,
                        help='pixel zoom of each tile')
    parser.add_argument('--out', required=True, help='PNG file')
    return parser.parse_args()


def load(config: str, checkpoint: str,
         num_classes: Optional[int] = None) -> torch.nn.Module:
    cfg = Config.fromfile(config)
    if num_classes is not None:
        cfg.model.head.num_classes = num_classes
    return build_model_from_config(cfg, checkpoint)


def draw_box(img: np.ndarray, box, colour, scale: int) -> None:
    box = np.asarray(box, dtype=float).reshape(-1, 4)
    for x0, y0, x1, y1 in box * scale:
        cv2.rectangle(img, (int(x0), int(y0)), (int(x1), int(y1)), colour, 2)


def overlay_bgr(image: np.ndarray, score: np.ndarray) -> np.ndarray:
    return score_map_overlay(image[..., ::-1], score)[..., ::-1].copy()


def label_tile(label: np.ndarray) -> np.ndarray:
    grey = np.where(label == 1, 255, np.where(label == 0, 0, 128))
    return np.repeat(grey.astype(np.uint8)[..., None], 3, axis=2)


def row_tiles(models, image: np.ndarray, label: int, gt_boxes, args
              ) -> List[np.ndarray]:
    """The five tiles of one image (BGR, zoomed)."""
    cam0, cam1, fg = (network_score_map(m, image, label, args.input_size)
                      for m in models)
    small = cv2.resize(cam1, (args.gppl_size, args.gppl_size))
    pseudo = gppl_labels(torch.from_numpy(small)[None], GPPLConfig(),
                         normalize=False)[0].numpy()
    pseudo = cv2.resize(pseudo, image.shape[1::-1],
                        interpolation=cv2.INTER_NEAREST)
    zoom = lambda a, interp=cv2.INTER_NEAREST: cv2.resize(  # noqa: E731
        a, None, fx=args.scale, fy=args.scale, interpolation=interp)
    boxed = zoom(image, cv2.INTER_LINEAR)
    draw_box(boxed, gt_boxes, GREEN, args.scale)
    draw_box(boxed, largest_region_box(cam0, args.threshold), BLUE,
             args.scale)
    draw_box(boxed, largest_region_box(fg, args.threshold), RED, args.scale)
    mask_tile = overlay_bgr(image, fg)
    contours = cv2.findContours((fg > args.threshold).astype(np.uint8),
                                cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)[-2]
    mask_tile = zoom(mask_tile, cv2.INTER_LINEAR)
    cv2.drawContours(mask_tile, [c * args.scale for c in contours], -1,
                     (255, 255, 255), 1)
    return [
        boxed,
        zoom(overlay_bgr(image, cam0), cv2.INTER_LINEAR),
        zoom(overlay_bgr(image, cam1), cv2.INTER_LINEAR),
        zoom(label_tile(pseudo)), mask_tile
    ]


def title_bar(width: int, text: str) -> np.ndarray:
    bar = np.full((18, width, 3), 255, dtype=np.uint8)
    cv2.putText(bar, text, (3, 13), cv2.FONT_HERSHEY_SIMPLEX, 0.38, (0, 0, 0),
                1, cv2.LINE_AA)
    return bar


def main() -> None:
    args = parse_args()
    models = [
        load(*args.cam, args.num_classes),
        load(*args.stage1, args.num_classes),
        load(*args.stage2)
    ]
    dataset = CUB200WSOLDataset(
        data_root=args.data, split='test', pipeline=[], test_mode=True)
    # Spread the rows over the classes (the test split cycles them).
    picks = np.linspace(0, len(dataset) - 1, args.num).round().astype(int)
    rows = []
    for index in picks:
        info = dataset.get_data_info(int(index))
        image = cv2.imread(info['img_path'], cv2.IMREAD_COLOR)
        if image is None:
            raise FileNotFoundError(f'{info["img_path"]}: cannot decode')
        boxes = np.asarray(info['gt_bboxes'], dtype=float).reshape(-1, 4)
        if args.tile is not None:
            h, w = image.shape[:2]
            boxes = boxes * np.array([args.tile / w, args.tile / h] * 2)
            image = cv2.resize(image, (args.tile, args.tile),
                               interpolation=cv2.INTER_AREA)
        tiles = row_tiles(models, image, int(info['gt_label']), boxes, args)
        gap = np.full((tiles[0].shape[0], 4, 3), 255, dtype=np.uint8)
        rows.append(np.hstack(sum(([t, gap] for t in tiles), [])[:-1]))
    width = rows[0].shape[1] // len(TITLES)
    header = np.hstack([title_bar(width, t) for t in TITLES])
    header = cv2.resize(header, (rows[0].shape[1], header.shape[0]))
    grid = np.vstack([header] + rows)
    ok, buf = cv2.imencode('.png', grid)
    if not ok:
        raise OSError(f'{args.out}: could not encode the picture')
    atomic_write_bytes(args.out, buf.tobytes())
    print(f'wrote {args.out} ({len(rows)} images, {grid.shape[1]}x'
          f'{grid.shape[0]} px)')


if __name__ == '__main__':
    main()
