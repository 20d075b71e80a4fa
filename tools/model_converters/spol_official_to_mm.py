"""Convert a checkpoint of the authors' released SPOL code to spol_mm.

The authors save ``model.state_dict()`` of a plain module: the ResNet-50 under
``bkbone.``, MCA as ``fc{3,4,5}1`` / ``bn{3,4,5}1`` / ``fc{3,4,5}2``, the
projections as ``linear{3,4,5}`` / ``bn{3,4,5}`` and one classifier
``linear``. Levels 3, 4, 5 are ResNet stages 2, 3, 4, i.e. the MFF neck's
levels 0, 1, 2.

Example:
    python tools/model_converters/spol_official_to_mm.py \
        cub200-cam.pth mffnet1_r50_cub_official.pth --stage cam
"""
import argparse
import io
import os.path as osp
import re
from collections import OrderedDict
from typing import Dict

import torch

from spol_mm.utils.fileio import atomic_write_bytes

# The stage's classifier: CAMHead in mmpretrain, MaskedBCEHead in mmseg.
CLASSIFIER = {'cam': 'head.classifier', 'seg': 'decode_head.conv_seg'}
LEVEL = {'3': '0', '4': '1', '5': '2'}
RULES = (
    (r'^bkbone\.(.*)$', r'backbone.\1'),
    (r'^fc([345])1\.(.*)$', 'neck.mca.squeezes.{level}.conv.{rest}'),
    (r'^bn([345])1\.(.*)$', 'neck.mca.squeezes.{level}.bn.{rest}'),
    (r'^fc([345])2\.(.*)$', 'neck.mca.excites.{level}.{rest}'),
    (r'^linear([345])\.(.*)$', 'neck.projections.{level}.conv.{rest}'),
    (r'^bn([345])\.(.*)$', 'neck.projections.{level}.bn.{rest}'),
    (r'^linear\.(.*)$', '{classifier}.{rest}'),
)


def convert_key(key: str, stage: str) -> str:
    """Map one of the authors' keys to spol_mm's.

    Args:
        key (str): A key of the authors' state dict (``module.`` stripped).
        stage (str): ``'cam'`` (MFF-Net1) or ``'seg'`` (MFF-Net2).

    Returns:
        str: The spol_mm key.
    """
    for pattern, target in RULES:
        match = re.match(pattern, key)
        if match is None:
            continue
        if target.startswith('backbone'):
            return match.expand(target)
        groups = match.groups()
        level = LEVEL[groups[0]] if len(groups) == 2 else None
        return target.format(
            level=level, rest=groups[-1], classifier=CLASSIFIER[stage])
    raise KeyError(f'unknown key in the official checkpoint: {key!r}')


def convert_state_dict(state_dict: Dict[str, torch.Tensor],
                       stage: str) -> 'OrderedDict[str, torch.Tensor]':
    """Convert a whole state dict; ``fc.*`` of a full ResNet is dropped."""
    if stage not in CLASSIFIER:
        raise ValueError(f'stage must be one of {sorted(CLASSIFIER)}')
    converted = OrderedDict()
    for key, value in state_dict.items():
        key = key[len('module.'):] if key.startswith('module.') else key
        if key.startswith('bkbone.fc.'):
            continue
        converted[convert_key(key, stage)] = value
    return converted


def main() -> None:
    parser = argparse.ArgumentParser(
        description='Convert an official SPOL checkpoint to spol_mm')
    parser.add_argument('src', help='the authors\' checkpoint (.pth)')
    parser.add_argument('dst', help='where to save the spol_mm checkpoint')
    parser.add_argument('--stage', choices=sorted(CLASSIFIER), required=True,
                        help='cam: MFF-Net1 (stage 1); seg: MFF-Net2')
    args = parser.parse_args()

    # Plain tensors only: the authors saved a bare state dict.
    checkpoint = torch.load(args.src, map_location='cpu', weights_only=True)
    if isinstance(checkpoint, dict) and 'state_dict' in checkpoint:
        checkpoint = checkpoint['state_dict']
    state_dict = convert_state_dict(checkpoint, args.stage)

    buffer = io.BytesIO()
    torch.save(dict(state_dict=state_dict, meta=dict(
        converted_from=osp.basename(args.src), stage=args.stage)), buffer)
    atomic_write_bytes(args.dst, buffer.getvalue())
    print(f'{len(state_dict)} tensors written to {args.dst}')


if __name__ == '__main__':
    main()
