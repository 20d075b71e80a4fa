"""Which input normalisation do the packaged EfficientNet-Lite0 weights expect?

A network's first BatchNorm keeps the running mean and variance of the stem
convolution's output over its training images. Feeding images normalised
the way training did gives stem statistics close to them; another scaling
shifts the means and multiplies the variances. For each candidate this
prints, over the channels of the stem BN, the median |z| of the observed
channel means (``(mean - running_mean) / running_std``) and the median of
``log(var / running_var)``, both 0 for a perfect match, plus the top class
of each image.

Example (matplotlib's bundled photos when no images are given)::

    python tools/analysis_tools/lite0_input_norm.py [IMAGE ...]
"""
import argparse
import glob
import os.path as osp
from typing import List

import cv2
import numpy as np
import torch

CANDIDATES = {
    'RGB to [-1, 1] (mean = std = 127.5)': ([127.5] * 3, [127.5] * 3),
    'ImageNet mean / std (RGB)': ([123.675, 116.28, 103.53],
                                  [58.395, 57.12, 57.375]),
    'RGB to [0, 1]': ([0.0] * 3, [255.0] * 3),
}


def sample_images() -> List[str]:
    import matplotlib
    folder = osp.join(osp.dirname(matplotlib.__file__), 'mpl-data',
                      'sample_data')
    return sorted(glob.glob(osp.join(folder, '*.jpg')) +
                  glob.glob(osp.join(folder, '*.png')))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('images', nargs='*', help='default: matplotlib photos')
    args = parser.parse_args()
    from mmengine.config import Config

    import spol_mm  # noqa: F401
    from spol_mm.models.backbones import load_lite0_imagenet
    from spol_mm.utils import build_model_from_config
    root = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    cfg = Config.fromfile(
        osp.join(root, 'configs', 'spol', 'cls_lite0_imagenet.py'))
    model = build_model_from_config(cfg)
    model.load_state_dict(load_lite0_imagenet()['state_dict'])
    model.eval()
    stem = model.backbone.layers[0]
    paths = args.images or sample_images()
    rgb = []
    for path in paths:
        img = cv2.imread(path, cv2.IMREAD_COLOR)
        if img is None:
            raise FileNotFoundError(f'{path}: not a readable image')
        img = cv2.resize(img, (224, 224), interpolation=cv2.INTER_AREA)
        rgb.append(img[..., ::-1].astype(np.float32))
    x = torch.from_numpy(np.stack(rgb)).permute(0, 3, 1, 2)
    bn = stem.bn
    alive = bn.running_var > 1e-4
    names = ', '.join(osp.basename(p) for p in paths)
    print(f'{len(paths)} images: {names}')
    for name, (mean, std) in CANDIDATES.items():
        xn = (x - torch.tensor(mean).view(1, 3, 1, 1)) / torch.tensor(
            std).view(1, 3, 1, 1)
        with torch.no_grad():
            y = stem.conv(xn)
            top = model(xn, mode='tensor').argmax(1).tolist()
        mu, var = y.mean((0, 2, 3)), y.var((0, 2, 3))
        z = ((mu - bn.running_mean) / bn.running_var.sqrt())[alive]
        log_ratio = torch.log(var / bn.running_var)[alive]
        print(f'{name:40s} median |z| {z.abs().median():.2f}   median '
              f'log(var/running_var) {log_ratio.median():+.2f}   top-1 {top}')


if __name__ == '__main__':
    main()
