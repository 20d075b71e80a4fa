"""EfficientNet-Lite0 on mmpretrain's EfficientNet, and its packaged weights."""
import os.path as osp
import subprocess
import sys

import cv2
import matplotlib
import numpy as np
import pytest
import torch
from efficientnet_lite_pytorch import EfficientNet as ReferenceEfficientNet
from mmengine.config import Config

import spol_mm  # noqa: F401
from spol_mm.models.backbones import (EfficientNetLite, LITE0_MEAN, LITE0_STD,
                                      convert_lite0_state_dict,
                                      load_lite0_imagenet)
from spol_mm.models.backbones.efficientnet_lite import lite0_package_file
from spol_mm.utils import build_model_from_config

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(
    __file__)))))
GRACE_HOPPER = osp.join(
    osp.dirname(matplotlib.__file__), 'mpl-data', 'sample_data',
    'grace_hopper.jpg')


def config(name: str) -> Config:
    return Config.fromfile(osp.join(ROOT, 'configs', 'spol', name))


@pytest.fixture(scope='module')
def converted(tmp_path_factory):
    """The converter tool's output (a real run of the tool)."""
    out = str(tmp_path_factory.mktemp('lite0') / 'l0.pth')
    subprocess.run([
        sys.executable,
        osp.join(ROOT, 'tools', 'model_converters',
                 'efficientnet_lite0_to_mm.py'), out
    ], check=True, cwd=ROOT, capture_output=True)
    return out


def grace_hopper_input() -> torch.Tensor:
    """The photo at 224 x 224, RGB scaled to [-1, 1] (the weights' input)."""
    bgr = cv2.resize(cv2.imread(GRACE_HOPPER), (224, 224),
                     interpolation=cv2.INTER_AREA)
    rgb = torch.from_numpy(bgr[..., ::-1].copy()).permute(2, 0, 1).float()
    mean = torch.tensor(LITE0_MEAN).view(3, 1, 1)
    std = torch.tensor(LITE0_STD).view(3, 1, 1)
    return ((rgb - mean) / std)[None]


def test_stage_outputs():
    net = EfficientNetLite(out_indices=(3, 4, 5)).eval()
    outs = net(torch.zeros(1, 3, 224, 224))
    assert [o.shape[1] for o in outs] == [40, 112, 320]
    assert [224 // o.shape[-1] for o in outs] == [8, 16, 32]
    # No squeeze-and-excitation anywhere, ReLU6 throughout.
    names = [type(m).__name__ for m in net.modules()]
    assert 'SELayer' not in names and 'ReLU6' in names
    assert 'Swish' not in names
    with pytest.raises(ValueError, match='lite0'):
        EfficientNetLite(arch='b0')


def test_conversion_covers_every_tensor(converted):
    ckpt = torch.load(converted, map_location='cpu', weights_only=True)
    raw = torch.load(lite0_package_file(), map_location='cpu',
                     weights_only=True)
    assert len(ckpt['state_dict']) == len(raw) == 296
    model = build_model_from_config(config('cls_lite0_imagenet.py'))
    missing, unexpected = model.load_state_dict(ckpt['state_dict'],
                                                strict=False)
    assert not missing and not unexpected
    with pytest.raises(KeyError, match='_blocks.16'):
        convert_lite0_state_dict({'_blocks.16._bn0.weight': torch.zeros(1)})


def test_logits_equal_the_reference_model(converted):
    """Same file, same input: the mm model and the package's reference."""
    model = build_model_from_config(config('cls_lite0_imagenet.py'),
                                    converted).eval()
    reference = ReferenceEfficientNet.from_name('efficientnet-lite0')
    reference.load_state_dict(
        torch.load(lite0_package_file(), map_location='cpu',
                   weights_only=True))
    reference.eval()
    x = grace_hopper_input()
    with torch.no_grad():
        ours = model(x, mode='tensor')
        theirs = reference(x)
    assert (ours - theirs).abs().max().item() < 1e-4
    assert theirs.abs().max().item() > 1  # real logits, not a blank output
    assert int(theirs.argmax()) == 652


def test_inferencer_on_grace_hopper(converted):
    """mmpretrain's own inferencer, with the config's pipeline and
    normalisation: class 652 ("military uniform")."""
    from mmpretrain.apis import ImageClassificationInferencer
    inferencer = ImageClassificationInferencer(
        osp.join(ROOT, 'configs', 'spol', 'cls_lite0_imagenet.py'),
        pretrained=converted, device='cpu')
    assert inferencer(GRACE_HOPPER)[0]['pred_label'] == 652
    # Arrays pass through LoadWSOLImage as well.
    assert inferencer(cv2.imread(GRACE_HOPPER))[0]['pred_label'] == 652


@pytest.mark.parametrize('name', [
    'mffnet1_lite0_8e_cub.py', 'cam_lite0_8e_cub.py', 'cls_lite0_8e_cub.py',
    'mffnet2_lite0_8e_cub.py'
])
def test_training_configs_start_from_the_packaged_weights(name):
    model = build_model_from_config(config(name))
    model.init_weights()
    expected = load_lite0_imagenet()['state_dict']
    backbone = {
        'backbone.' + k: v
        for k, v in model.backbone.state_dict().items()
        if not k.endswith('num_batches_tracked')
    }
    wanted = {k: v for k, v in expected.items() if k in backbone}
    # Every backbone tensor the model has comes from the file, unchanged.
    assert set(backbone) == set(wanted)
    for key, value in backbone.items():
        assert torch.equal(value, wanted[key]), key


def test_lite0_normalisation_in_every_config():
    for name in ('mffnet1_lite0_8e_cub.py', 'cls_lite0_8e_cub.py',
                 'cls_lite0_imagenet.py'):
        pre = config(name).model.data_preprocessor
        assert list(pre.mean) == LITE0_MEAN and list(pre.std) == LITE0_STD
    spol = config('spol_lite0_cub.py').model.data_preprocessor
    assert list(spol.mean) == LITE0_MEAN
    seg = config('mffnet2_lite0_8e_cub.py').model.data_preprocessor
    assert list(seg.mean) == LITE0_MEAN and seg.bgr_to_rgb


@pytest.mark.parametrize('name', [
    'cam_lite0_8e_cub.py', 'mffnet1_lite0_8e_cub.py', 'cls_lite0_8e_cub.py',
    'cam_lite0_8e_synthetic.py', 'mffnet1_lite0_8e_synthetic.py',
    'cls_lite0_8e_synthetic.py'
])
def test_lite0_configs_validate_on_val(name):
    cfg = config(name)
    assert cfg.val_dataloader.dataset.split == 'val'
    assert cfg.val_dataloader.dataset.val_fraction > 0
    assert cfg.train_dataloader.dataset.val_fraction == \
        cfg.val_dataloader.dataset.val_fraction
    assert cfg.test_dataloader.dataset.split == 'test'
    # The paper's split of learning rates: backbone at 0.1x.
    assert cfg.optim_wrapper.paramwise_cfg.custom_keys.backbone.lr_mult == 0.1


def test_stage2_trains_on_the_stage1_split():
    seg = config('mffnet2_lite0_8e_cub.py').train_dataloader.dataset
    cls = config('mffnet1_lite0_8e_cub.py').train_dataloader.dataset
    assert (seg.split, seg.val_fraction) == (cls.split, cls.val_fraction)
    # The ResNet-50 CUB configs keep the paper's full training split.
    r50 = config('mffnet1_r50_32e_cub.py').train_dataloader.dataset
    assert not r50.get('val_fraction')
