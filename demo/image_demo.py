"""Localise the object in an image (or every image of a folder) with a WSOL
model: prints the box and class of each, writes a picture of each.

    python demo/image_demo.py bird.jpg configs/spol/spol_r50_cub.py \
        spol_r50_cub.pth --out-dir outputs
"""
import argparse
import os
import os.path as osp
from typing import List

from mmengine.config import DictAction

from spol_mm.apis import WSOLInferencer

IMAGE_SUFFIXES = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp')


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='WSOL inference on images: box, class, foreground map')
    parser.add_argument('image', help='an image file or a folder of images')
    parser.add_argument('config', help='model config (SPOLLocalizer or a '
                        'stage-1 classifier with a CAMHead)')
    parser.add_argument(
        'checkpoint', nargs='?', help='checkpoint of the whole model (an '
        'SPOLLocalizer config may name its networks\' checkpoints instead)')
    parser.add_argument('--out-dir', default='outputs',
                        help='where to write one picture per image')
    parser.add_argument('--device', default='cpu', help='e.g. cpu, cuda:0')
    parser.add_argument('--show', action='store_true',
                        help='also show each picture in a window')
    parser.add_argument('--keep-crop', action='store_true',
                        help='use the test pipeline\'s centre crop (the '
                        'default sees the whole image)')
    parser.add_argument('--score-thr', type=float, default=None,
                        help='box threshold of a CAM (default: the config\'s)')
    parser.add_argument('--topk', type=int, default=5,
                        help='number of classes to report')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config settings, `xxx=yyy` pairs')
    return parser.parse_args(argv)


def list_images(path: str) -> List[str]:
    """The image itself, or the images of a folder (sorted by name)."""
    if osp.isdir(path):
        images = sorted(
            osp.join(path, name) for name in os.listdir(path)
            if name.lower().endswith(IMAGE_SUFFIXES))
        if not images:
            raise FileNotFoundError(f'no images ({", ".join(IMAGE_SUFFIXES)})'
                                    f' in folder {path}')
        return images
    if not osp.isfile(path):
        raise FileNotFoundError(f'image not found: {path}')
    return [path]


def describe(result: dict) -> str:
    """One line: image, box and the top classes."""
    box = result['bbox']
    box_text = 'no box' if box is None else \
        'box [' + ', '.join(f'{v:.1f}' for v in box) + ']'
    line = f'{result.get("img_path", "?")}: {box_text}'
    if 'pred_label' in result:
        names = result.get('topk_classes', result['topk_labels'])
        top = ', '.join(f'{n} ({s:.3f})'
                        for n, s in zip(names, result['topk_scores']))
        line += f'; classes: {top}'
    if 'vis_file' in result:
        line += f' -> {result["vis_file"]}'
    return line


def main(argv=None) -> None:
    args = parse_args(argv)
    images = list_images(args.image)
    inferencer = WSOLInferencer(
        args.config, weights=args.checkpoint, device=args.device,
        whole_image=not args.keep_crop, score_threshold=args.score_thr,
        cfg_options=args.cfg_options)
    results = inferencer(images, out_dir=args.out_dir, show=args.show,
                         topk=args.topk)
    for result in results:
        print(describe(result))


if __name__ == '__main__':
    main()
