import pytest
import torch

from spol_mm.models import MFFNeck, MultiplicativeChannelAttention
from spol_mm.models.functional import fuse_feature_maps


def _pyramid(n=2, channels=(8, 16, 32, 64), size=32):
    """Backbone-like outputs at strides 1, 2, 4, 8 of `size`."""
    return tuple(
        torch.randn(n, c, size // 2**i, size // 2**i)
        for i, c in enumerate(channels))


@pytest.mark.parametrize('num_levels', [1, 2, 3, 4])
@pytest.mark.parametrize('fusion', ['mul', 'add', 'concat'])
def test_neck_shapes(num_levels, fusion):
    channels = (8, 16, 32, 64)
    in_index = tuple(range(4 - num_levels, 4))
    neck = MFFNeck([channels[i] for i in in_index], in_index, channels=6,
                   fusion=fusion, mca_channels=5)
    deep, fused = neck(_pyramid(channels=channels))
    shallow = 32 // 2**in_index[0]
    assert deep.shape == (2, 6, 4, 4)
    assert fused.shape == (2, neck.out_channels, shallow, shallow)
    assert neck.out_channels == (6 * num_levels if fusion == 'concat' else 6)


def test_neck_rejects_bad_config():
    with pytest.raises(ValueError, match='equal length'):
        MFFNeck([8, 16], in_index=(0, ))
    with pytest.raises(ValueError, match='fusion'):
        MFFNeck([8], in_index=(0, ), fusion='max')


def _grad_of_level_wrt_others(mode):
    """d(fused)/d(x) at fixed upstream gradient, for two values of y, z."""
    grads = []
    for scale in (1.0, 3.0):
        x = torch.full((1, 1, 2, 2), 2.0, requires_grad=True)
        y = torch.full((1, 1, 2, 2), 0.5 * scale)
        z = torch.full((1, 1, 2, 2), 4.0 * scale)
        fuse_feature_maps([x, y, z], mode).sum().backward()
        grads.append(x.grad.clone())
    return grads


def test_gradient_coupling_mul_vs_add():
    # Eq. 2: with multiplication the gradient reaching one level is the
    # product of the other levels; with addition it is 1 whatever they are.
    g1, g3 = _grad_of_level_wrt_others('mul')
    assert torch.allclose(g1, torch.full_like(g1, 0.5 * 4.0))
    assert torch.allclose(g3, torch.full_like(g3, 1.5 * 12.0))
    a1, a3 = _grad_of_level_wrt_others('add')
    assert torch.equal(a1, torch.ones_like(a1))
    assert torch.equal(a1, a3)


@pytest.mark.parametrize('fusion,coupled', [('mul', True), ('add', False)])
def test_gradient_coupling_through_neck(fusion, coupled):
    # The gradient of the fused map w.r.t. the shallow input changes with the
    # deep input under 'mul' (Eq. 2) and not under 'add'. MCA is off: it
    # would couple the levels by itself.
    torch.manual_seed(0)
    neck = MFFNeck([4, 4, 4], (0, 1, 2), channels=3, fusion=fusion,
                   use_mca=False).eval()
    shallow = torch.randn(1, 4, 8, 8)
    middle = torch.randn(1, 4, 4, 4)
    grads = []
    for deep in (torch.randn(1, 4, 2, 2), torch.randn(1, 4, 2, 2)):
        x = shallow.clone().requires_grad_()
        _, fused = neck((x, middle, deep))
        fused.sum().backward()
        grads.append(x.grad)
    assert (not torch.allclose(grads[0], grads[1])) == coupled


@pytest.mark.parametrize('num_levels', [1, 2, 3])
def test_mca_gates_in_unit_interval(num_levels):
    channels = [3, 5, 7][:num_levels]
    mca = MultiplicativeChannelAttention(channels, latent_channels=4)
    feats = [torch.randn(4, c, 6, 6) for c in channels]
    gates = mca.gates(feats)
    out = mca(feats)
    for feat, gate, res in zip(feats, gates, out):
        assert gate.shape == (4, feat.shape[1], 1, 1)
        assert bool(((gate > 0) & (gate < 1)).all())
        torch.testing.assert_close(res, feat * gate)


def test_mca_code_is_product_of_levels():
    mca = MultiplicativeChannelAttention([2, 3], latent_channels=4).eval()
    feats = [torch.randn(2, 2, 4, 4), torch.randn(2, 3, 4, 4)]
    z = [sq(f.mean((2, 3), keepdim=True))
         for sq, f in zip(mca.squeezes, feats)]
    expected = torch.sigmoid(mca.excites[1](z[0] * z[1]))
    torch.testing.assert_close(mca.gates(feats)[1], expected)
