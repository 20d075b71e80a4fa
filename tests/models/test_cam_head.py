import pytest
import torch
import torch.nn.functional as F
from mmpretrain.structures import DataSample

from spol_mm.models import CAMHead


def _samples(labels, img_shape=(16, 16)):
    return [
        DataSample(metainfo=dict(img_shape=img_shape)).set_gt_label(label)
        for label in labels
    ]


def _head(aux_loss):
    head = CAMHead(num_classes=3, in_channels=2, dropout_ratio=0.,
                   aux_loss=aux_loss)
    # A hand-set classifier: class c scores c * (feature 0) + bias c.
    with torch.no_grad():
        head.classifier.weight.copy_(
            torch.tensor([[0., 0.], [1., 0.], [2., 0.]]).view(3, 2, 1, 1))
        head.classifier.bias.copy_(torch.tensor([0.5, 0., 0.]))
    return head


def _feats():
    # Deep map: feature 0 is 1 everywhere; fused map: feature 0 is 2 in one
    # of four pixels, 0 elsewhere.
    deep = torch.zeros(1, 2, 2, 2)
    deep[:, 0] = 1.
    fused = torch.zeros(1, 2, 2, 2)
    fused[0, 0, 0, 0] = 2.
    return deep, fused


def test_forward_is_relu_cam_and_logits_are_its_mean():
    head = _head('paper')
    with torch.no_grad():
        head.classifier.bias.copy_(torch.tensor([-1., 0., 0.]))
    cam = head(_feats())
    assert cam.shape == (1, 3, 2, 2)
    assert cam.min() >= 0  # ReLU clips class 0's negative bias
    assert cam[0, 2, 0, 0] == 4. and cam[0, 2, 1, 1] == 0.


def test_paper_aux_loss_hand_computed():
    head = _head('paper')
    losses = head.loss(_feats(), _samples([2]))
    # Fused CAM means: class0 0.5, class1 2/4, class2 4/4.
    main = torch.tensor([[0.5, 0.5, 1.0]])
    # Deep CAM means: class0 0.5, class1 1, class2 2.
    aux = torch.tensor([[0.5, 1.0, 2.0]])
    target = torch.tensor([2])
    torch.testing.assert_close(losses['loss_cls'],
                               F.cross_entropy(main, target))
    torch.testing.assert_close(losses['loss_aux'],
                               F.cross_entropy(aux, target))


def test_released_aux_loss_hand_computed():
    head = _head('released')
    losses = head.loss(_feats(), _samples([0]))
    main = torch.tensor([[0.5, 0.5, 1.0]])
    aux = torch.tensor([[0.5, 1.0, 2.0]])
    soft = -(aux.softmax(1) * main.log_softmax(1)).sum()
    torch.testing.assert_close(losses['loss_cls'], soft / 2)
    torch.testing.assert_close(losses['loss_aux'],
                               F.cross_entropy(aux, torch.tensor([0])) / 2)
    # The deep branch's soft target is detached: the distillation term sends
    # no gradient into the deep map.
    deep, fused = (f.clone().requires_grad_() for f in _feats())
    head.loss((deep, fused), _samples([0]))['loss_cls'].backward()
    assert deep.grad is None or torch.count_nonzero(deep.grad) == 0
    assert torch.count_nonzero(fused.grad) > 0


def test_no_aux_loss():
    losses = _head(None).loss(_feats(), _samples([1]))
    assert set(losses) == {'loss_cls'}
    torch.testing.assert_close(
        losses['loss_cls'],
        F.cross_entropy(torch.tensor([[0.5, 0.5, 1.0]]), torch.tensor([1])))


def test_aux_loss_needs_matching_channels():
    head = CAMHead(num_classes=3, in_channels=6, aux_loss='paper')
    with pytest.raises(ValueError, match='aux_loss=None'):
        head.loss((torch.rand(1, 2, 2, 2), torch.rand(1, 6, 4, 4)),
                  _samples([0]))


@pytest.mark.parametrize('attach', ['gt', 'pred'])
def test_predict_attaches_normalised_score_map(attach):
    head = CAMHead(num_classes=3, in_channels=2, dropout_ratio=0.,
                   attach_cam=attach).eval()
    feats = (torch.rand(2, 2, 2, 2), torch.rand(2, 2, 4, 4))
    preds = head.predict(feats, _samples([0, 1]))
    cam = head(feats)
    for i, pred in enumerate(preds):
        label = int(pred.gt_label) if attach == 'gt' else int(pred.pred_label)
        torch.testing.assert_close(pred.cam, cam[i, label])
        assert pred.score_map.shape == (16, 16)
        if cam[i, label].max() > cam[i, label].min():
            assert pred.score_map.min() == 0 and pred.score_map.max() == 1
        torch.testing.assert_close(pred.pred_score,
                                   cam[i].mean((1, 2)).softmax(0))


def test_wrong_num_classes_is_a_clear_error():
    samples = _samples([1, 3])  # class 3 with a 3-class head
    samples[1].set_metainfo(dict(img_path='data/x/img_7.jpg'))
    with pytest.raises(ValueError, match=r'img_7.jpg: class \[3\] is outside '
                       r'the 3 classes.*num_classes'):
        _head('paper').loss(_feats(), samples)
