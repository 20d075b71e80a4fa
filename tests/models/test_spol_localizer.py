import torch
from mmpretrain.structures import DataSample

from tests.apis.tiny import CLASSIFIER, SEGMENTOR
from tests.helpers import build_in_scope


def _localizer(**kwargs):
    return build_in_scope(
        dict(type='SPOLLocalizer', segmentor=SEGMENTOR, **kwargs),
        'mmpretrain').eval()


def test_box_of_hand_made_mask():
    localizer = _localizer()
    # Logits on the 32x32 input: a 4x5 foreground block plus a 1-pixel
    # speck; the box is the block's (largest region, x1 = x + w).
    logits = torch.full((1, 1, 32, 32), -5.)
    logits[..., 10:14, 3:8] = 5.
    logits[..., 25, 25] = 5.
    localizer.segmentor.forward = lambda inputs, mode: logits
    sample = localizer.predict(torch.zeros(1, 3, 32, 32))[0]
    assert torch.equal(sample.pred_bboxes,
                       torch.tensor([[3., 10., 8., 14.]]))
    torch.testing.assert_close(sample.score_map, logits[0, 0].sigmoid())
    assert 'pred_score' not in sample  # class-agnostic without classifier


def test_empty_mask_gives_no_box():
    localizer = _localizer()
    localizer.segmentor.forward = \
        lambda inputs, mode: torch.full((2, 1, 4, 4), -5.)
    for sample in localizer.predict(torch.zeros(2, 3, 32, 32)):
        assert sample.pred_bboxes.shape == (0, 4)


def test_classifier_scores_are_wired_per_image():
    torch.manual_seed(0)
    localizer = _localizer(classifier=CLASSIFIER)
    inputs = torch.randn(3, 3, 32, 32)
    samples = [DataSample().set_gt_label(i) for i in (4, 0, 6)]
    with torch.no_grad():
        expected = localizer.classifier.predict(inputs)
        out = localizer.predict(inputs, samples)
    for got, want, label in zip(out, expected, (4, 0, 6)):
        torch.testing.assert_close(got.pred_score, want.pred_score)
        assert int(got.gt_label) == label
        assert got.pred_score.shape == (7, )
        top5 = got.pred_score.topk(5).indices
        assert int(got.pred_label) == int(top5[0])


def test_classifier_top5_reaches_the_sample():
    """Hand-set class scores: the sample's top-5 is the classifier's."""
    localizer = _localizer(classifier=CLASSIFIER)
    fc = localizer.classifier.head.fc
    bias = torch.tensor([0.1, 3., -1., 2., 0.5, 4., 1.])
    with torch.no_grad():
        fc.weight.zero_()
        fc.bias.copy_(bias)
        sample = localizer.predict(torch.zeros(1, 3, 32, 32))[0]
    torch.testing.assert_close(sample.pred_score, bias.softmax(0))
    assert sample.pred_score.topk(5).indices.tolist() == [5, 1, 3, 6, 4]
    assert int(sample.pred_label) == 5
    assert sample.pred_bboxes.shape[-1] == 4  # the box is still there
