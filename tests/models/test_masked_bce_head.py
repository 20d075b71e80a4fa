import pytest
import torch
import torch.nn.functional as F
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from spol_mm.models import MaskedBCEHead
from tests.helpers import build_in_scope


def _samples(labels):
    return [
        SegDataSample(gt_sem_seg=PixelData(data=label[None]))
        for label in labels
    ]


def _labels():
    # 1 = foreground, 0 = background, 255 = ignore.
    return torch.tensor([[[1, 0, 255], [255, 1, 0], [0, 0, 255]],
                         [[255, 255, 255], [1, 1, 0], [0, 255, 1]]])


def _loss(head, logits):
    return head.loss_by_feat(logits, _samples(_labels()))['loss_ce']


@pytest.mark.parametrize('normalize', ['image', 'labelled'])
def test_masked_bce_matches_eq7(normalize):
    head = MaskedBCEHead(in_channels=4, normalize=normalize)
    logits = torch.randn(2, 1, 3, 3)
    labels = _labels()
    valid = labels != 255
    per_pixel = F.binary_cross_entropy_with_logits(
        logits[:, 0][valid], labels[valid].float(), reduction='none')
    # Eq. 7: labelled pixels summed, divided by all pixels (N x H x W).
    denominator = labels.numel() if normalize == 'image' else valid.sum()
    torch.testing.assert_close(_loss(head, logits),
                               per_pixel.sum() / denominator)


def test_ignored_pixels_change_neither_loss_nor_gradient():
    head = MaskedBCEHead(in_channels=4)
    base = torch.randn(2, 1, 3, 3)
    ignored = (_labels() == 255)[:, None]
    changed = torch.where(ignored, base + 10 * torch.randn_like(base), base)
    grads = []
    for logits in (base, changed):
        logits = logits.clone().requires_grad_()
        loss = _loss(head, logits)
        loss.backward()
        grads.append((loss.detach(), logits.grad))
    torch.testing.assert_close(grads[0][0], grads[1][0])
    torch.testing.assert_close(grads[0][1], grads[1][1])
    assert torch.count_nonzero(grads[0][1][ignored]) == 0


def test_segmentor_tensor_mode_and_threshold():
    cfg = dict(
        type='EncoderDecoder',
        data_preprocessor=dict(type='SegDataPreProcessor'),
        backbone=dict(type='ResNet', depth=18, out_indices=(1, 2, 3)),
        neck=dict(type='MFFNeck', in_channels=[128, 256, 512],
                  in_index=(0, 1, 2), channels=16, mca_channels=8),
        decode_head=dict(type='MaskedBCEHead', in_channels=16),
        test_cfg=dict(mode='whole'))
    model = build_in_scope(cfg, 'mmseg').eval()
    assert model.decode_head.threshold == 0.2
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        logits = model(x, mode='tensor')
        assert logits.shape == (1, 1, 8, 8)
        sample = SegDataSample(metainfo=dict(
            img_shape=(64, 64), ori_shape=(64, 64), pad_shape=(64, 64)))
        pred = model.predict(x, [sample])[0]
    prob = F.interpolate(logits, size=(64, 64), mode='bilinear',
                         align_corners=True).sigmoid()[0]
    # mmseg stores the probability of one-channel heads as `seg_logits`.
    torch.testing.assert_close(pred.seg_logits.data, prob)
    assert torch.equal(pred.pred_sem_seg.data.bool(), prob > 0.2)
