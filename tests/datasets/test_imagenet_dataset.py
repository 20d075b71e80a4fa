"""ImageNetWSOLDataset on a tiny generated ImageNet tree."""
import os
import os.path as osp

import numpy as np
import pytest

from spol_mm.datasets import (ImageNetWSOLDataset, WSOLAnnotationError,
                              parse_voc_xml)
from tests.datasets.wsol_data import (IMAGENET_WNIDS, edit_line, make_imagenet,
                                      voc_xml, write_lines)

VAL1 = 'ILSVRC2012_val_00000001'


@pytest.fixture
def imagenet(tmp_path):
    root = str(tmp_path / 'imagenet')
    make_imagenet(root)
    return root


def test_train_labels_from_sorted_folders(imagenet):
    ds = ImageNetWSOLDataset(data_root=imagenet, split='train')
    assert len(ds) == 3
    infos = [ds.get_data_info(i) for i in range(3)]
    assert [i['img_id'] for i in infos] == [
        'n01440764/n01440764_10026.JPEG', 'n01440764/n01440764_10027.JPEG',
        'n01484850/n01484850_4.JPEG'
    ]
    # Sorted folders: n01440764 -> 0, n01443537 -> 1 (empty), n01484850 -> 2.
    assert [i['gt_label'] for i in infos] == [0, 0, 2]
    assert infos[0]['gt_bboxes'].shape == (0, 4)
    assert infos[0]['gt_mask_path'] is None and infos[0]['ann_shape'] is None
    assert ds.metainfo['classes'] == tuple(IMAGENET_WNIDS)


def test_val_several_boxes_and_sizes(imagenet):
    ds = ImageNetWSOLDataset(data_root=imagenet, split='val')
    assert len(ds) == 2
    first, second = ds.get_data_info(0), ds.get_data_info(1)
    assert first['img_id'] == VAL1 + '.JPEG'
    assert first['gt_label'] == 2  # n01484850
    np.testing.assert_array_equal(first['gt_bboxes'],
                                  [[10, 20, 100, 150], [120, 30, 230, 170]])
    assert first['ann_shape'] == (180, 240)
    assert second['gt_label'] == 0 and second['ann_shape'] == (200, 160)
    np.testing.assert_array_equal(second['gt_bboxes'], [[30, 40, 150, 190]])


def test_wnids_file_sets_order_and_names(imagenet):
    write_lines(
        osp.join(imagenet, 'synsets.txt'), [
            'n01484850 great white shark', 'n01440764 tench, Tinca tinca',
            'n01443537 goldfish'
        ])
    ds = ImageNetWSOLDataset(
        data_root=imagenet, split='val', wnids='synsets.txt')
    assert ds.metainfo['classes'][:2] == ('great white shark',
                                          'tench, Tinca tinca')
    assert [ds.get_data_info(i)['gt_label'] for i in range(2)] == [0, 1]


def test_ann_file_list(imagenet):
    write_lines(
        osp.join(imagenet, 'train.txt'),
        ['n01484850/n01484850_4.JPEG 2', 'n01440764/x.JPEG 0'])
    with pytest.raises(
            WSOLAnnotationError,
            match=r'train.txt line 2: image of id '
            r'n01440764/x.JPEG not found'):
        ImageNetWSOLDataset(data_root=imagenet, ann_file='train.txt')
    edit_line(osp.join(imagenet, 'train.txt'), 2, 'n01440764/y.JPEG 3')
    with pytest.raises(
            WSOLAnnotationError,
            match=r'train.txt line 2: label 3 out of range 0..2'):
        ImageNetWSOLDataset(data_root=imagenet, ann_file='train.txt')


def test_seg_map_root(imagenet, tmp_path):
    ds = ImageNetWSOLDataset(
        data_root=imagenet,
        split='train',
        seg_map_root=str(tmp_path / 'labels'),
        check_files=False)
    assert ds.get_data_info(2)['seg_map_path'] == str(
        tmp_path / 'labels' / 'n01484850' / 'n01484850_4.png')


def test_voc_xml_reader_keeps_lines(tmp_path):
    path = str(tmp_path / 'a.xml')
    write_lines(
        path,
        voc_xml('a.JPEG', (50, 60), [('n1', (1, 2, 30, 40)),
                                     ('n1', (5, 6, 7, 8))]).splitlines())
    ann = parse_voc_xml(path)
    assert ann.shape == (50, 60)
    assert [o.box for o in ann.objects] == [(1, 2, 30, 40), (5, 6, 7, 8)]
    # 7 header lines, 9 lines per object, <name> and <bndbox> its 2nd, 3rd.
    assert [o.name_line for o in ann.objects] == [9, 18]
    assert [o.line for o in ann.objects] == [10, 19]


def _xml_path(root, stem=VAL1):
    return osp.join(root, 'val_boxes', stem + '.xml')


def test_box_errors_name_xml_line(imagenet):
    # Line 22 is the <xmax> of the 2nd object, its <bndbox> at line 19.
    edit_line(_xml_path(imagenet), 22, '\t\t\t<xmax>100</xmax>')
    with pytest.raises(WSOLAnnotationError) as err:
        ImageNetWSOLDataset(data_root=imagenet, split='val')
    assert (f'{VAL1}.xml line 19: x1 <= x0 for id {VAL1}.JPEG '
            '(box [120, 30, 100, 170])') in str(err.value)


def test_malformed_xml(imagenet):
    edit_line(_xml_path(imagenet), 11, '\t\t\t<xmin>ten</xmin>')
    with pytest.raises(
            WSOLAnnotationError,
            match=rf"{VAL1}.xml line 11: <xmin> 'ten' is not"):
        ImageNetWSOLDataset(data_root=imagenet, split='val')
    edit_line(_xml_path(imagenet), 11, '\t\t\t<xmin>10</xmax>')
    with pytest.raises(
            WSOLAnnotationError,
            match=rf'{VAL1}.xml line 11: not well-formed XML'):
        ImageNetWSOLDataset(data_root=imagenet, split='val')


def test_unknown_and_mixed_classes(imagenet):
    edit_line(_xml_path(imagenet), 18, '\t\t<name>n99999999</name>')
    with pytest.raises(
            WSOLAnnotationError,
            match=rf'{VAL1}.xml line 18: class n99999999 of id '
            rf'{VAL1}.JPEG is not one of the 3 classes'):
        ImageNetWSOLDataset(data_root=imagenet, split='val')
    edit_line(_xml_path(imagenet), 18, '\t\t<name>n01440764</name>')
    with pytest.raises(
            WSOLAnnotationError,
            match=rf'{VAL1}.xml line 18: id {VAL1}.JPEG has '
            r'objects of classes n01484850 and n01440764'):
        ImageNetWSOLDataset(data_root=imagenet, split='val')


def test_missing_xml_and_xml_without_image(imagenet):
    os.rename(_xml_path(imagenet), _xml_path(imagenet, 'orphan'))
    with pytest.raises(WSOLAnnotationError) as err:
        ImageNetWSOLDataset(data_root=imagenet, split='val')
    text = str(err.value)
    assert f'image {VAL1}.JPEG has no box file' in text
    assert 'orphan.xml: box file has no listed image' in text


def test_box_outside_clip_warns_once_or_raises(imagenet):
    # Image 1 is 240 x 180 (w x h): push both boxes past its right edge.
    edit_line(_xml_path(imagenet), 13, '\t\t\t<xmax>250</xmax>')
    edit_line(_xml_path(imagenet), 23, '\t\t\t<ymax>181.5</ymax>')
    with pytest.warns(UserWarning, match='clipped 2 GT boxes') as record:
        ds = ImageNetWSOLDataset(data_root=imagenet, split='val')
    assert len([w for w in record if 'clipped' in str(w.message)]) == 1
    np.testing.assert_array_equal(
        ds.get_data_info(0)['gt_bboxes'],
        [[10, 20, 240, 150], [120, 30, 230, 180]])
    np.testing.assert_array_equal(
        ds.get_data_info(0)['ori_gt_bboxes'],
        ds.get_data_info(0)['gt_bboxes'])
    with pytest.raises(WSOLAnnotationError) as err:
        ImageNetWSOLDataset(
            data_root=imagenet, split='val', box_outside='raise')
    assert (f'{VAL1}.xml line 10: box [10, 20, 250, 150] of id {VAL1}.JPEG '
            'reaches outside the 240x180 (w x h) image') in str(err.value)
    assert '(and 1 more like it)' in str(err.value)


def test_class_order_needs_train_or_wnids(tmp_path):
    root = str(tmp_path / 'inet')
    make_imagenet(root)
    os.rename(osp.join(root, 'train'), osp.join(root, 'elsewhere'))
    with pytest.raises(FileNotFoundError, match='class order'):
        ImageNetWSOLDataset(data_root=root, split='val')
    ds = ImageNetWSOLDataset(
        data_root=root, split='val', wnids=list(IMAGENET_WNIDS))
    assert ds.get_data_info(0)['gt_label'] == 2
