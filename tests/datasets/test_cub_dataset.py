"""CUB200WSOLDataset on a tiny generated CUB-200-2011 tree."""
import os
import os.path as osp

import numpy as np
import pytest

from spol_mm.datasets import CUB200WSOLDataset, WSOLAnnotationError
from spol_mm.pseudo_label import write_pseudo_label_meta
from tests.datasets.wsol_data import (append_line, cub_rel_path, edit_line,
                                      make_cub, write_png)


@pytest.fixture
def cub(tmp_path):
    root = str(tmp_path / 'CUB_200_2011')
    make_cub(root)
    return root


def test_train_and_test_entries(cub):
    train = CUB200WSOLDataset(data_root=cub, split='train')
    test = CUB200WSOLDataset(data_root=cub, split='test')
    assert len(train) == 2 and len(test) == 2
    # Image 2 is "3 003.Sooty_Albatross" -> label 2, box x=10 y=40 w=160
    # h=160 -> 10, 40, 170, 200.
    info = train.get_data_info(1)
    assert info['img_id'] == '003.Sooty_Albatross/Sooty_Albatross_0002_2.jpg'
    assert info['img_path'] == osp.abspath(
        osp.join(cub, 'images', info['img_id']))
    assert info['gt_label'] == 2
    assert info['gt_bboxes'].dtype == np.float32
    np.testing.assert_array_equal(info['gt_bboxes'], [[10, 40, 170, 200]])
    np.testing.assert_array_equal(info['ori_gt_bboxes'], info['gt_bboxes'])
    assert info['gt_mask_path'] == osp.abspath(
        osp.join(cub, 'segmentations',
                 '003.Sooty_Albatross/Sooty_Albatross_0002_2.png'))
    assert info['ann_shape'] is None  # not in CUB's text files
    assert 'seg_map_path' not in info
    # The test split: ids 3 (class 2 -> label 1) and 4 (class 3 -> label 2).
    assert [test.get_data_info(i)['gt_label'] for i in range(2)] == [1, 2]
    np.testing.assert_array_equal(
        test.get_data_info(0)['gt_bboxes'], [[40, 20, 200, 150]])
    assert train.metainfo['classes'] == ('Black_footed_Albatross',
                                         'Laysan_Albatross', 'Sooty_Albatross')


def test_no_masks_gives_none(tmp_path):
    root = str(tmp_path / 'cub')
    make_cub(root, with_masks=False)
    ds = CUB200WSOLDataset(data_root=root, split='test')
    assert ds.get_data_info(0)['gt_mask_path'] is None


def test_seg_map_root_for_stage2(cub, tmp_path):
    labels = str(tmp_path / 'pseudo')
    for img, cls in [(1, 1), (2, 3)]:
        write_png(
            osp.join(labels,
                     cub_rel_path(img, cls)[:-4] + '.png'),
            np.zeros((4, 4), np.uint8))
    # Labels are only trusted with a meta file naming exactly these images.
    with pytest.raises(FileNotFoundError, match='gppl_meta.json'):
        CUB200WSOLDataset(data_root=cub, split='train', seg_map_root=labels)
    write_pseudo_label_meta(labels, dict(fg_reading='moments'),
                            [cub_rel_path(3, 2)], complete=True)
    with pytest.raises(ValueError, match='generate_pseudo_labels.py'):
        CUB200WSOLDataset(data_root=cub, split='train', seg_map_root=labels)
    write_pseudo_label_meta(labels, dict(fg_reading='moments'),
                            [cub_rel_path(1, 1), cub_rel_path(2, 3)],
                            complete=True)
    with pytest.raises(ValueError, match='fg_reading'):
        CUB200WSOLDataset(data_root=cub, split='train', seg_map_root=labels,
                          pseudo_label_params=dict(fg_reading='binarize'))
    ds = CUB200WSOLDataset(data_root=cub, split='train', seg_map_root=labels)
    info = ds.get_data_info(0)
    assert info['seg_map_path'] == osp.join(
        labels, '001.Black_footed_Albatross/Black_footed_Albatross_0001_1.png')
    assert info['seg_fields'] == [] and info['reduce_zero_label'] is False
    assert info['label_map'] is None
    # A missing pseudo label is reported up front, with the folder.
    os.remove(info['seg_map_path'])
    with pytest.raises(WSOLAnnotationError, match='pseudo label of id'):
        CUB200WSOLDataset(data_root=cub, split='train', seg_map_root=labels)


def test_seg_map_root_refuses_ids_outside_the_label_folder(cub, tmp_path):
    """The dataset reads labels by the writer's rule: an id with ``..`` has
    no pseudo label, and the error names the id and its line."""
    from spol_mm.datasets import seg_map_path_for
    from spol_mm.pseudo_label import label_path
    assert seg_map_path_for is label_path
    bad = '../elsewhere/Black_footed_Albatross_0001_1.jpg'
    write_png(osp.join(cub, 'images', bad), np.zeros((4, 4, 3), np.uint8))
    write_png(osp.join(cub, 'segmentations', bad[:-4] + '.png'),
              np.zeros((4, 4), np.uint8))
    edit_line(osp.join(cub, 'images.txt'), 1, f'1 {bad}')
    # Without pseudo labels the id is just a path.
    assert CUB200WSOLDataset(data_root=cub, split='train').get_data_info(
        0)['img_id'] == bad
    with pytest.raises(WSOLAnnotationError) as err:
        CUB200WSOLDataset(data_root=cub, split='train',
                          seg_map_root=str(tmp_path / 'pseudo'))
    message = str(err.value)
    assert 'images.txt line 1' in message and repr(bad) in message
    assert 'seg_map_root' in message


def test_lazy_init_and_serialization(cub):
    ds = CUB200WSOLDataset(data_root=cub, split='test', lazy_init=True)
    assert not ds._fully_initialized
    ds.full_init()
    assert len(ds) == 2
    # Entries come back as independent copies: editing one fetch leaves
    # the dataset and the untouched copy of the boxes alone.
    info = ds.get_data_info(0)
    info['gt_bboxes'][0, 0] = -7
    assert info['ori_gt_bboxes'][0, 0] == 40
    assert ds.get_data_info(0)['gt_bboxes'][0, 0] == 40


# (file, line, new text, expected message part) - one per problem kind.
BAD_EDITS = [
    ('bounding_boxes.txt', 3, '3 40.0 20.0 0.0 130.0',
     'bounding_boxes.txt line 3: x1 <= x0 for id 3'),
    ('bounding_boxes.txt', 2, '2 10.0 40.0 160.0 -1.0',
     'bounding_boxes.txt line 2: y1 <= y0 for id 2'),
    ('bounding_boxes.txt', 4, '4 5.0 60.0 95.0',
     'bounding_boxes.txt line 4: malformed line'),
    ('bounding_boxes.txt', 1, '1 20.0 30.0 abc 80.0',
     "bounding_boxes.txt line 1: width 'abc' is not a number for id 1"),
    ('image_class_labels.txt', 2, '2 4',
     'image_class_labels.txt line 2: label 4 out of range 1..3 for id 2'),
    ('image_class_labels.txt', 3, '3 0',
     'image_class_labels.txt line 3: label 0 out of range 1..3 for id 3'),
    ('images.txt', 4, '2 ' + cub_rel_path(4, 3),
     'images.txt line 4: duplicate id 2 (first at line 2)'),
    ('train_test_split.txt', 1, '1 2',
     'train_test_split.txt line 1: split flag 2 for id 1'),
    ('image_class_labels.txt', 4, '9 3',
     'image_class_labels.txt line 4: id 9 is not listed in images.txt'),
]


@pytest.mark.parametrize('name,line,text,message', BAD_EDITS)
def test_each_problem_names_file_and_line(cub, name, line, text, message):
    edit_line(osp.join(cub, name), line, text)
    with pytest.raises(WSOLAnnotationError) as err:
        CUB200WSOLDataset(data_root=cub, split='test')
    assert message in str(err.value)
    assert osp.join(cub, name) in str(err.value)


def test_id_missing_from_a_file(cub):
    edit_line(osp.join(cub, 'bounding_boxes.txt'), 3, '')
    with pytest.raises(
            WSOLAnnotationError,
            match=r'images.txt line 3: id 3 has no entry in '
            r'bounding_boxes.txt'):
        CUB200WSOLDataset(data_root=cub, split='train')


def test_one_error_per_kind_with_counts(cub):
    # Two empty boxes and one bad label: two lines in one error.
    edit_line(osp.join(cub, 'bounding_boxes.txt'), 1, '1 20 30 0 80')
    edit_line(osp.join(cub, 'bounding_boxes.txt'), 4, '4 5 60 -5 130')
    edit_line(osp.join(cub, 'image_class_labels.txt'), 2, '2 7')
    with pytest.raises(WSOLAnnotationError) as err:
        CUB200WSOLDataset(data_root=cub)
    lines = str(err.value).splitlines()
    assert len(lines) == 2
    assert lines[0].endswith('line 1: x1 <= x0 for id 1 (box [20, 30, 20, '
                             '110]) (and 1 more like it)')
    assert 'image_class_labels.txt line 2: label 7' in lines[1]


def test_missing_files(cub):
    os.remove(osp.join(cub, 'bounding_boxes.txt'))
    with pytest.raises(FileNotFoundError, match='bounding_boxes.txt'):
        CUB200WSOLDataset(data_root=cub)


def test_missing_image_and_mask(cub):
    os.remove(osp.join(cub, 'images', cub_rel_path(3, 2)))
    os.remove(osp.join(cub, 'segmentations', cub_rel_path(4, 3)[:-4] + '.png'))
    with pytest.raises(WSOLAnnotationError) as err:
        CUB200WSOLDataset(data_root=cub, split='test')
    text = str(err.value)
    assert 'images.txt line 3: image of id 002.Laysan_Albatross/' in text
    assert 'images.txt line 4: GT mask of id 003.Sooty_Albatross/' in text
    # Train images are all there, and check_files=False skips the check.
    assert len(CUB200WSOLDataset(data_root=cub, split='train')) == 2
    assert len(
        CUB200WSOLDataset(data_root=cub, split='test', check_files=False)) == 2


def test_negative_box_clip_or_raise(cub):
    edit_line(osp.join(cub, 'bounding_boxes.txt'), 3, '3 -10 -5 50 30')
    with pytest.warns(UserWarning, match=r'clipped 1 GT boxes'):
        ds = CUB200WSOLDataset(data_root=cub, split='test')
    np.testing.assert_array_equal(
        ds.get_data_info(0)['gt_bboxes'], [[0, 0, 40, 25]])
    with pytest.raises(
            WSOLAnnotationError,
            match=r'bounding_boxes.txt line 3: box \[-10, -5, 40, '
            r"25\] of id 3 reaches outside the image"):
        CUB200WSOLDataset(data_root=cub, split='test', box_outside='raise')


def test_class_names_and_metainfo(cub):
    with pytest.raises(ValueError, match='gives 2 classes but'):
        CUB200WSOLDataset(data_root=cub, classes=['a', 'b'])
    ds = CUB200WSOLDataset(data_root=cub, classes=['a', 'b', 'c'])
    assert ds.metainfo['classes'] == ('a', 'b', 'c')
    append_line(osp.join(cub, 'classes.txt'), '5 005.Crested_Auklet')
    with pytest.raises(
            WSOLAnnotationError,
            match='classes.txt line 4: class ids must run 1..4'):
        CUB200WSOLDataset(data_root=cub)


def test_bad_arguments(cub):
    with pytest.raises(ValueError, match='split'):
        CUB200WSOLDataset(data_root=cub, split='val')
    with pytest.raises(ValueError, match='box_outside'):
        CUB200WSOLDataset(data_root=cub, box_outside='drop')
