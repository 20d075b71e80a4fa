"""WSOLMetadataDataset / read_wsol_metadata on tiny wsolevaluation folders."""
import os
import os.path as osp

import numpy as np
import pytest

from spol_mm.datasets import (LoadWSOLMask, WSOLAnnotationError,
                              WSOLMetadataDataset, read_wsol_metadata)
from tests.datasets.wsol_data import (append_line, edit_line,
                                      make_metadata_boxes, make_metadata_masks,
                                      write_lines)


@pytest.fixture
def boxes_meta(tmp_path):
    return make_metadata_boxes(str(tmp_path))


@pytest.fixture
def masks_meta(tmp_path):
    return make_metadata_masks(str(tmp_path))


def test_box_metadata(boxes_meta):
    img_root, meta = boxes_meta
    ds = WSOLMetadataDataset(metadata_root=meta, data_prefix=img_root)
    assert len(ds) == 3
    second = ds.get_data_info(1)
    assert second['img_id'] == '002.Laysan_Albatross/b_2.jpg'
    assert second['img_path'] == osp.join(img_root, second['img_id'])
    assert second['gt_label'] == 1
    # Two lines in localization.txt -> two boxes, in file order.
    np.testing.assert_array_equal(second['gt_bboxes'],
                                  [[5, 5, 60, 70], [70, 80, 140, 140]])
    assert second['ann_shape'] == (150, 150)  # image_sizes.txt is w,h
    assert ds.get_data_info(2)['ann_shape'] == (100, 200)
    assert second['gt_mask_path'] is None
    assert second['gt_ignore_mask_path'] is None
    # Without metainfo, classes are 0..max label.
    assert ds.metainfo['classes'] == ('0', '1')


def test_paths_relative_to_data_root(boxes_meta, tmp_path):
    ds = WSOLMetadataDataset(
        data_root=str(tmp_path),
        metadata_root='metadata/CUB/test',
        data_prefix='dataset/CUB',
        seg_map_root=str(tmp_path / 'pl'),
        check_files=False)
    info = ds.get_data_info(0)
    assert info['img_path'] == str(tmp_path / 'dataset' / 'CUB' /
                                   '001.Black_footed_Albatross' / 'a_1.jpg')
    assert info['seg_map_path'] == str(
        tmp_path / 'pl' / '001.Black_footed_Albatross' / 'a_1.png')


def test_mask_metadata_openimages(masks_meta):
    img_root, meta = masks_meta
    parsed = read_wsol_metadata(meta)
    assert parsed.localization == 'masks' and parsed.shapes == {}
    ds = WSOLMetadataDataset(metadata_root=meta, data_prefix=img_root)
    first, second = ds.get_data_info(0), ds.get_data_info(1)
    stem = osp.join(img_root, 'test/01226z/7af766bd43da900b')
    assert first['gt_mask_path'] == [stem + '_m0.png', stem + '_m1.png']
    assert first['gt_ignore_mask_path'] == stem + '_ignore.png'
    assert first['gt_bboxes'].shape == (0, 4)
    assert isinstance(second['gt_mask_path'], str)
    assert second['gt_ignore_mask_path'] is None
    # The loader: union of the instances, ignore box minus them = 255.
    results = LoadWSOLMask()(dict(first, img=np.zeros((80, 120, 3), np.uint8)))
    seg = results['gt_seg_map']
    expected = np.full((80, 120), 255, np.uint8)  # ignore box = the image
    expected[10:60, 10:50] = 1
    expected[20:70, 70:110] = 1
    np.testing.assert_array_equal(seg, expected)


def test_proxy_list(boxes_meta):
    img_root, meta = boxes_meta
    write_lines(
        osp.join(meta, 'image_ids_proxy.txt'),
        ['002.Laysan_Albatross/c_3.jpg'])
    ds = WSOLMetadataDataset(
        metadata_root=meta, data_prefix=img_root, proxy=True)
    assert [ds.get_data_info(0)['img_id']] == ['002.Laysan_Albatross/c_3.jpg']
    # Without proxy, the same extra lines would be an error.
    append_line(osp.join(meta, 'class_labels.txt'), 'extra.jpg,0')
    with pytest.raises(
            WSOLAnnotationError,
            match='class_labels.txt line 4: id extra.jpg is not '
            'listed in image_ids.txt'):
        WSOLMetadataDataset(metadata_root=meta, data_prefix=img_root)


BAD_EDITS = [
    ('localization.txt', 2, '002.Laysan_Albatross/b_2.jpg,60,5,60,70',
     'localization.txt line 2: x1 <= x0 for id 002.Laysan_Albatross/b_2.jpg'),
    ('localization.txt', 4, '002.Laysan_Albatross/c_3.jpg,50,90,190,90',
     'localization.txt line 4: y1 <= y0 for id 002.Laysan_Albatross/c_3.jpg'),
    ('localization.txt', 1, '001.Black_footed_Albatross/a_1.jpg,10,20,90',
     'localization.txt line 1: malformed line'),
    ('class_labels.txt', 3, '002.Laysan_Albatross/c_3.jpg,-1',
     'class_labels.txt line 3: label -1 is negative'),
    ('class_labels.txt', 2, '002.Laysan_Albatross/b_2.jpg,one',
     "class_labels.txt line 2: label 'one' is not an integer"),
    ('image_sizes.txt', 2, '002.Laysan_Albatross/b_2.jpg,0,150',
     'image_sizes.txt line 2: size 0x150 is not positive'),
    ('image_sizes.txt', 3, '002.Laysan_Albatross/b_2.jpg,150,150',
     'image_sizes.txt line 3: duplicate id 002.Laysan_Albatross/b_2.jpg'),
    ('image_ids.txt', 3, '002.Laysan_Albatross/d_4.jpg',
     'localization.txt line 4: id 002.Laysan_Albatross/c_3.jpg is not '
     'listed in image_ids.txt'),
]


@pytest.mark.parametrize('name,line,text,message', BAD_EDITS)
def test_each_problem_names_file_and_line(boxes_meta, name, line, text,
                                          message):
    img_root, meta = boxes_meta
    edit_line(osp.join(meta, name), line, text)
    with pytest.raises(WSOLAnnotationError) as err:
        WSOLMetadataDataset(metadata_root=meta, data_prefix=img_root)
    assert osp.join(meta, message) in str(err.value)


def test_label_range_against_metainfo(boxes_meta):
    img_root, meta = boxes_meta
    with pytest.raises(
            WSOLAnnotationError,
            match=r'class_labels.txt line 2: label 1 out of range '
            r'0..0 for id 002.Laysan_Albatross/b_2.jpg'):
        WSOLMetadataDataset(
            metadata_root=meta, data_prefix=img_root, classes=['bird'])


def test_box_outside_known_size(boxes_meta):
    img_root, meta = boxes_meta
    # Image a_1 is 160 x 120 (w x h).
    edit_line(
        osp.join(meta, 'localization.txt'), 1,
        '001.Black_footed_Albatross/a_1.jpg,10,20,170,100')
    with pytest.warns(UserWarning, match='clipped 1 GT boxes'):
        ds = WSOLMetadataDataset(metadata_root=meta, data_prefix=img_root)
    np.testing.assert_array_equal(
        ds.get_data_info(0)['gt_bboxes'], [[10, 20, 160, 100]])
    with pytest.raises(
            WSOLAnnotationError,
            match=r'localization.txt line 1: box \[10, 20, 170, '
            r'100\] of id 001.Black_footed_Albatross/a_1.jpg '
            r'reaches outside the 160x120'):
        WSOLMetadataDataset(
            metadata_root=meta, data_prefix=img_root, box_outside='raise')


def test_mask_problems(masks_meta):
    img_root, meta = masks_meta
    loc = osp.join(meta, 'localization.txt')
    edit_line(
        loc, 2, 'test/01226z/7af766bd43da900b.jpg,'
        'test/01226z/7af766bd43da900b_m1.png,other_ignore.png')
    with pytest.raises(
            WSOLAnnotationError,
            match='localization.txt line 2: id test/01226z/'
            '7af766bd43da900b.jpg has a second ignore mask'):
        read_wsol_metadata(meta)
    edit_line(
        loc, 2, 'test/01226z/7af766bd43da900b.jpg,'
        'test/01226z/7af766bd43da900b_m1.png,')
    os.remove(osp.join(img_root, 'test/01226z/7af766bd43da900b_m1.png'))
    with pytest.raises(
            WSOLAnnotationError, match='image_ids.txt line 1: GT mask of id'):
        WSOLMetadataDataset(metadata_root=meta, data_prefix=img_root)


def test_missing_files(boxes_meta, tmp_path):
    img_root, meta = boxes_meta
    with pytest.raises(FileNotFoundError, match='WSOL metadata folder'):
        read_wsol_metadata(str(tmp_path / 'nowhere'))
    os.remove(osp.join(meta, 'class_labels.txt'))
    with pytest.raises(FileNotFoundError, match='class_labels.txt'):
        read_wsol_metadata(meta)
