"""The validation hold-out of the training images (CUB and ImageNet)."""
import pytest

from spol_mm.benchmarks.synthetic import write_synthetic_wsol
from spol_mm.datasets import CUB200WSOLDataset, ImageNetWSOLDataset
from spol_mm.datasets.base_wsol_dataset import holdout_ids
from tests.datasets.wsol_data import make_imagenet


@pytest.fixture(scope='module')
def cub(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('cub') / 'data')
    write_synthetic_wsol(root, classes=4, train=40, test=8, size=32, seed=0)
    return root


def _ids(dataset):
    return [dataset.get_data_info(i)['img_id'] for i in range(len(dataset))]


def test_val_is_a_per_class_holdout_disjoint_from_train_and_test(cub):
    full = CUB200WSOLDataset(data_root=cub, split='train')
    train = CUB200WSOLDataset(data_root=cub, split='train', val_fraction=0.2)
    val = CUB200WSOLDataset(data_root=cub, split='val', val_fraction=0.2)
    test = CUB200WSOLDataset(data_root=cub, split='test', val_fraction=0.2)
    tr, va, te = set(_ids(train)), set(_ids(val)), set(_ids(test))
    assert not tr & va and not tr & te and not va & te
    assert tr | va == set(_ids(full))
    assert len(te) == 8
    # 10 training images per class, 20 % of each held out.
    labels = [val.get_data_info(i)['gt_label'] for i in range(len(val))]
    assert sorted(labels) == [0, 0, 1, 1, 2, 2, 3, 3]


def test_val_split_is_deterministic(cub):
    a = _ids(CUB200WSOLDataset(data_root=cub, split='val', val_fraction=0.2))
    b = _ids(CUB200WSOLDataset(data_root=cub, split='val', val_fraction=0.2))
    assert a == b
    # The rule depends only on the ids: reordering or adding other images
    # keeps every image's side.
    ids = [f'c/{i}.jpg' for i in range(20)]
    held = holdout_ids(ids, [0] * 20, 0.25)
    assert len(held) == 5
    assert holdout_ids(ids[::-1], [0] * 20, 0.25) == held
    assert holdout_ids(ids + ['d/0.jpg', 'd/1.jpg'], [0] * 20 + [1, 1],
                       0.25) >= held


def test_holdout_rule_edges():
    assert holdout_ids(['a'], [0], 0.5) == set()  # one image: kept to train
    assert len(holdout_ids(['a', 'b', 'c'], [0] * 3, 0.01)) == 1
    with pytest.raises(ValueError, match=r'\[0, 1\)'):
        holdout_ids(['a', 'b'], [0, 0], 1.0)


def test_val_needs_a_fraction(cub):
    with pytest.raises(ValueError, match='val_fraction'):
        CUB200WSOLDataset(data_root=cub, split='val')


def test_imagenet_holdout(tmp_path):
    root = str(tmp_path / 'imagenet')
    make_imagenet(root)
    full = _ids(ImageNetWSOLDataset(data_root=root, split='train'))
    held = _ids(ImageNetWSOLDataset(data_root=root, split='holdout',
                                    val_fraction=0.5))
    rest = _ids(ImageNetWSOLDataset(data_root=root, split='train',
                                    val_fraction=0.5))
    assert held and rest and not set(held) & set(rest)
    assert set(held) | set(rest) == set(full)
    with pytest.raises(ValueError, match='val_fraction'):
        ImageNetWSOLDataset(data_root=root, split='holdout')
