"""load_wsol_metadata, the protocol evaluator's reading of a metadata
folder: its rules, and errors that name the file and line."""
import os.path as osp

import numpy as np
import pytest

from spol_mm.datasets import (WSOLAnnotationError, WSOLMetadataDataset,
                              WSOLMetadataError, load_wsol_metadata,
                              read_wsol_metadata)
from tests.datasets.wsol_data import edit_line, make_metadata_boxes


def write_folder(root, files):
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / name).write_text(text)
    return str(root)


BOX_FILES = {
    'image_ids.txt': 'a/1.jpg\nb/2.jpg\n',
    'class_labels.txt': 'a/1.jpg,0\nb/2.jpg,3\n',
    'image_sizes.txt': 'a/1.jpg,500,400\nb/2.jpg,224,224\n',
    'localization.txt': ('a/1.jpg,10,20,30,40\nb/2.jpg,0,0,5,5\n'
                         'a/1.jpg,1,2,3.5,4\nzzz.jpg,1,1,2,2\n'),
}


def test_boxes_folder(tmp_path):
    meta = load_wsol_metadata(write_folder(tmp_path / 'm', BOX_FILES))
    assert meta['image_ids'] == ['a/1.jpg', 'b/2.jpg']
    assert meta['labels'] == {'a/1.jpg': 0, 'b/2.jpg': 3}
    assert meta['sizes'] == {'a/1.jpg': (500, 400), 'b/2.jpg': (224, 224)}
    assert meta['localization'] == 'boxes'
    np.testing.assert_array_equal(meta['boxes']['a/1.jpg'],
                                  [[10, 20, 30, 40], [1, 2, 3.5, 4]])
    assert meta['boxes']['a/1.jpg'].dtype == np.float32
    assert 'zzz.jpg' not in meta['boxes']  # not in the list: ignored


def test_masks_folder_and_proxy(tmp_path):
    files = {
        'image_ids.txt': 'x.jpg\ny.jpg\n',
        'image_ids_proxy.txt': 'y.jpg\n',
        'localization.txt': ('x.jpg,m/x_0.png,m/x_ignore.png\n'
                             'x.jpg,m/x_1.png,\ny.jpg,m/y_0.png,\n'),
    }
    root = write_folder(tmp_path / 'm', files)
    meta = load_wsol_metadata(root)
    assert meta['localization'] == 'masks'
    assert meta['mask_paths'] == {'x.jpg': ['m/x_0.png', 'm/x_1.png'],
                                  'y.jpg': ['m/y_0.png']}
    assert meta['ignore_paths'] == {'x.jpg': 'm/x_ignore.png', 'y.jpg': None}
    assert meta['labels'] == {} and meta['sizes'] == {}
    assert load_wsol_metadata(root, proxy=True)['image_ids'] == ['y.jpg']


@pytest.mark.parametrize('name, text, message', [
    ('localization.txt', 'a/1.jpg,10,20,30\n',
     'localization.txt line 1: malformed'),
    ('localization.txt', 'a/1.jpg,1,2,3,4\nb/2.jpg,1,2,x,4\n',
     "localization.txt line 2: x1 'x' is not a number"),
    ('localization.txt', 'a/1.jpg,1,2,3,4\nb/2.jpg,5,2,3,4\n',
     'localization.txt line 2: x1 < x0 for id b/2.jpg'),
    ('localization.txt', 'a/1.jpg,-1,2,3,4\n',
     r'localization.txt line 1: box \[-1.0, .*negative'),
    ('localization.txt', 'a/1.jpg,1,2,3,4\n',
     'image_ids.txt line 2: id b/2.jpg has no entry in localization.txt'),
    ('class_labels.txt', 'a/1.jpg,0\nb/2.jpg,zero\n',
     "class_labels.txt line 2: label 'zero' is not an integer"),
    ('class_labels.txt', 'a/1.jpg,0\na/1.jpg,1\n',
     'class_labels.txt line 2: duplicate id a/1.jpg'),
    ('image_sizes.txt', 'a/1.jpg,500,400\nb/2.jpg,0,3\n',
     'image_sizes.txt line 2: size 0x3'),
    ('image_ids.txt', 'a/1.jpg\nb/2.jpg,extra\n',
     'image_ids.txt line 2: malformed'),
])
def test_errors_name_file_and_line(tmp_path, name, text, message):
    files = dict(BOX_FILES)
    files[name] = text
    with pytest.raises(WSOLMetadataError, match=message):
        load_wsol_metadata(write_folder(tmp_path / 'm', files))


def test_second_ignore_mask_and_missing_files(tmp_path):
    files = {
        'image_ids.txt': 'x.jpg\n',
        'localization.txt': 'x.jpg,a.png,i.png\nx.jpg,b.png,j.png\n',
    }
    with pytest.raises(WSOLMetadataError,
                       match='localization.txt line 2: id x.jpg has a '
                       'second ignore mask'):
        load_wsol_metadata(write_folder(tmp_path / 'm', files))
    with pytest.raises(WSOLMetadataError, match='metadata folder not found'):
        load_wsol_metadata(str(tmp_path / 'nowhere'))
    empty = write_folder(tmp_path / 'e', {'class_labels.txt': ''})
    with pytest.raises(WSOLMetadataError,
                       match='image_ids.txt not found: .*' +
                       osp.join('e', 'image_ids.txt')):
        load_wsol_metadata(empty)


def test_zero_size_box_evaluator_keeps_dataset_refuses(tmp_path):
    """The one reader, two rules: the protocol's evaluator keeps a box of
    zero width (as the reference does), the dataset refuses it."""
    img_root, meta = make_metadata_boxes(str(tmp_path))
    edit_line(osp.join(meta, 'localization.txt'), 2,
              '002.Laysan_Albatross/b_2.jpg,60,5,60,70')
    boxes = load_wsol_metadata(meta)['boxes']
    np.testing.assert_array_equal(boxes['002.Laysan_Albatross/b_2.jpg'],
                                  [[60, 5, 60, 70], [70, 80, 140, 140]])
    message = ('localization.txt line 2: x1 <= x0 for id '
               '002.Laysan_Albatross/b_2.jpg')
    with pytest.raises(WSOLAnnotationError, match=message):
        read_wsol_metadata(meta)
    with pytest.raises(WSOLAnnotationError, match=message):
        WSOLMetadataDataset(metadata_root=meta, data_prefix=img_root)
    # The option is explicit: the same reader keeps it when asked to.
    parsed = read_wsol_metadata(meta, allow_zero_size=True)
    assert parsed.boxes['002.Laysan_Albatross/b_2.jpg'][0] == (
        (60., 5., 60., 70.), 2)


def test_metadata_error_is_an_annotation_error(tmp_path):
    files = dict(BOX_FILES, **{'image_ids.txt': ''})
    with pytest.raises(WSOLMetadataError, match='image_ids.txt: lists no '
                       'image') as err:
        load_wsol_metadata(write_folder(tmp_path / 'm', files))
    assert isinstance(err.value, WSOLAnnotationError)
