"""LoadWSOLImage decodes odd images to BGR and reports undecodable ones.

Every file is generated in tmp_path; expected pixels are worked out by hand
from the values written.
"""
import logging
import multiprocessing
import os.path as osp
from types import SimpleNamespace

import cv2
import numpy as np
import pytest
from mmcv.transforms import LoadImageFromFile
from mmengine.registry import DefaultScope
from mmengine.runner import BaseLoop
from PIL import Image

import spol_mm.engine.hooks.bad_image_hook as report_module
from spol_mm.datasets.transforms.loading import (BadImageError, LoadWSOLImage,
                                                 _pil_to_bgr, decode_bgr,
                                                 jpeg_truncation,
                                                 png_truncation)
from spol_mm.engine import BadImageReportHook, find_image_loaders
from spol_mm.registry import DATASETS, TRANSFORMS

RGB = np.array([[[255, 0, 0], [0, 255, 0], [0, 0, 255]],
                [[10, 20, 30], [200, 100, 50], [7, 7, 7]]], np.uint8)


def _load(path, **kwargs):
    return LoadWSOLImage(**kwargs)(dict(img_path=str(path)))


def _jpeg_bytes(tmp_path, size=(24, 16)):
    path = tmp_path / 'ok.jpg'
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 255, (*size, 3), np.uint8)).save(
        path, quality=90)
    return path.read_bytes()


# -- images that must decode ---------------------------------------------
def test_grayscale_is_replicated(tmp_path):
    gray = RGB[..., 1]
    Image.fromarray(gray, 'L').save(tmp_path / 'g.png')
    img = _load(tmp_path / 'g.png')['img']
    assert img.shape == (2, 3, 3) and img.dtype == np.uint8
    for c in range(3):
        np.testing.assert_array_equal(img[..., c], gray)


def test_rgba_drops_alpha(tmp_path):
    # Alpha 0 on one pixel: its stored colour is kept, not composited.
    alpha = np.array([[255, 0, 128], [1, 2, 3]], np.uint8)
    Image.fromarray(np.dstack([RGB, alpha]), 'RGBA').save(tmp_path / 'a.png')
    results = _load(tmp_path / 'a.png')
    np.testing.assert_array_equal(results['img'], RGB[..., ::-1])
    assert results['img_shape'] == results['ori_shape'] == (2, 3)


def test_cmyk_jpeg_to_rgb(tmp_path):
    # C, M, Y, K = 0, 255, 255, 0 is pure red; K = 255 alone is black;
    # C = 255 alone is cyan (R 0, G 255, B 255).
    cmyk = np.zeros((16, 48, 4), np.uint8)
    cmyk[:, :16] = (0, 255, 255, 0)
    cmyk[:, 16:32] = (0, 0, 0, 255)
    cmyk[:, 32:] = (255, 0, 0, 0)
    Image.fromarray(cmyk, 'CMYK').save(tmp_path / 'c.jpg', quality=100)
    img = _load(tmp_path / 'c.jpg')['img'].astype(int)
    assert img.shape == (16, 48, 3)
    # Centre pixels of each block, BGR, within JPEG rounding.
    np.testing.assert_allclose(img[8, 8], [0, 0, 255], atol=4)
    np.testing.assert_allclose(img[8, 24], [0, 0, 0], atol=4)
    np.testing.assert_allclose(img[8, 40], [255, 255, 0], atol=4)


def test_16bit_png_scaled_to_8bit(tmp_path):
    # floor(x / 256): 0 -> 0, 255 -> 0, 256 -> 1, 1000 -> 3, 65535 -> 255.
    row = np.array([0, 255, 256, 1000, 65535], np.uint16)
    gray16 = np.tile(row, (2, 1))
    cv2.imwrite(str(tmp_path / 'g16.png'), gray16)
    img = _load(tmp_path / 'g16.png')['img']
    assert img.dtype == np.uint8
    for c in range(3):
        np.testing.assert_array_equal(img[0, :, c], [0, 0, 1, 3, 255])
    # Colour: B = row, G = row // 2, R = 65535 - row (cv2 writes BGR).
    bgr16 = np.dstack([gray16, gray16 // 2, 65535 - gray16]).astype(np.uint16)
    cv2.imwrite(str(tmp_path / 'c16.png'), bgr16)
    img = _load(tmp_path / 'c16.png')['img']
    np.testing.assert_array_equal(img[0, :, 0], [0, 0, 1, 3, 255])
    np.testing.assert_array_equal(img[0, :, 1], [0, 0, 0, 1, 127])
    np.testing.assert_array_equal(img[0, :, 2], [255, 255, 254, 252, 0])


def test_pillow_fallback_for_formats_opencv_lacks(tmp_path):
    Image.fromarray(RGB).save(tmp_path / 'x.pcx')
    np.testing.assert_array_equal(_load(tmp_path / 'x.pcx')['img'],
                                  RGB[..., ::-1])
    # Pillow's 16-bit modes are scaled like OpenCV's, not clipped at 255.
    i16 = Image.fromarray(np.array([[0, 256, 65535]], np.uint16))
    assert i16.mode.startswith('I')
    np.testing.assert_array_equal(_pil_to_bgr(i16)[0, :, 0], [0, 1, 255])


def test_same_pixels_as_mmcv_loader(tmp_path):
    # Including an EXIF-rotated JPEG (orientation 6: rotate 90 deg CW).
    (tmp_path / 'ok.jpg').write_bytes(_jpeg_bytes(tmp_path))
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.open(tmp_path / 'ok.jpg').save(tmp_path / 'rot.jpg', exif=exif)
    Image.fromarray(RGB).save(tmp_path / 'ok.png')
    for name in ['ok.jpg', 'rot.jpg', 'ok.png']:
        ours = _load(tmp_path / name)
        theirs = LoadImageFromFile()(dict(img_path=str(tmp_path / name)))
        np.testing.assert_array_equal(ours['img'], theirs['img'])
        assert ours['img_shape'] == theirs['img_shape']
    assert _load(tmp_path / 'rot.jpg')['img'].shape == (16, 24, 3)
    assert _load(tmp_path / 'ok.jpg', to_float32=True)['img'].dtype == \
        np.float32


# -- images that must be reported ------------------------------------------
def _bad_files(tmp_path):
    """name -> (bytes, words the reason must contain)."""
    jpeg = _jpeg_bytes(tmp_path)
    png_path = tmp_path / 'full.png'
    Image.fromarray(RGB).save(png_path)
    png = png_path.read_bytes()
    return {
        'half.jpg': (jpeg[:len(jpeg) // 2], 'truncated JPEG'),
        'no_eoi.jpg': (jpeg[:-2], 'no end-of-image marker'),
        'header_only.jpg': (jpeg[:20], 'ends before the image data'),
        'cut.png': (png[:len(png) - 30], 'truncated PNG'),
        'no_iend.png': (png[:-12], 'before IEND'),
        'text.jpg': (b'<html>404 Not Found</html>', 'not an image'),
        'empty.png': (b'', 'empty file'),
    }


def test_bad_files_raise_naming_path_and_problem(tmp_path):
    for name, (data, words) in _bad_files(tmp_path).items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(BadImageError) as info:
            _load(path)
        message = str(info.value)
        assert str(path) in message and words in message, message
        assert info.value.path == str(path)


def test_missing_file(tmp_path):
    path = tmp_path / 'gone.jpg'
    with pytest.raises(FileNotFoundError, match=str(path)):
        _load(path)
    loader = LoadWSOLImage(on_bad_image='skip')
    assert loader(dict(img_path=str(path))) is None
    assert loader.skipped_images() == [(str(path), 'file not found')]


def test_truncation_checks_accept_complete_files(tmp_path):
    jpeg = _jpeg_bytes(tmp_path)
    assert jpeg_truncation(jpeg) is None
    # Data after the end marker (some cameras append it) is fine.
    assert jpeg_truncation(jpeg + b'trailer') is None
    Image.fromarray(RGB).save(tmp_path / 'p.png')
    assert png_truncation((tmp_path / 'p.png').read_bytes()) is None
    with pytest.raises(ValueError, match='empty'):
        decode_bgr(b'')


def test_skip_counts_every_bad_file(tmp_path):
    loader = LoadWSOLImage(on_bad_image='skip')
    files = _bad_files(tmp_path)
    for name, (data, _) in files.items():
        (tmp_path / name).write_bytes(data)
        assert loader(dict(img_path=str(tmp_path / name))) is None
    Image.fromarray(RGB).save(tmp_path / 'good.png')
    assert loader(dict(img_path=str(tmp_path / 'good.png'))) is not None
    skipped = loader.skipped_images()
    assert [p for p, _ in skipped] == [str(tmp_path / n) for n in files]
    for (_, reason), (_, words) in zip(skipped, files.values()):
        assert words in reason


def _load_in_child(loader, path):
    loader(dict(img_path=path))


def test_skips_in_worker_processes_are_counted(tmp_path):
    # Data-loader workers load images in other processes.
    loader = LoadWSOLImage(on_bad_image='skip')
    (tmp_path / 'bad.png').write_bytes(b'not a png')
    ctx = multiprocessing.get_context('fork')
    children = [
        ctx.Process(target=_load_in_child,
                    args=(loader, str(tmp_path / 'bad.png')))
        for _ in range(2)
    ]
    for child in children:
        child.start()
    for child in children:
        child.join(30)
        assert child.exitcode == 0
    assert len(loader.skipped_images()) == 2


def test_invalid_mode():
    with pytest.raises(ValueError, match='on_bad_image'):
        LoadWSOLImage(on_bad_image='ignore')


# -- with an mm dataset and the report hook ----------------------------------
def _dataset(root, test_mode):
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        return DATASETS.build(
            dict(type='CustomDataset', data_root=str(root),
                 test_mode=test_mode,
                 pipeline=[dict(type='LoadWSOLImage', on_bad_image='skip'),
                           dict(type='PackInputs')]))


def test_dataset_draws_another_image_in_training_only(tmp_path):
    (tmp_path / 'a').mkdir()
    Image.fromarray(RGB).save(tmp_path / 'a' / '0_good.png')
    (tmp_path / 'a' / '1_bad.png').write_bytes(b'')
    train = _dataset(tmp_path, test_mode=False)
    bad = [i for i in range(len(train))
           if train.get_data_info(i)['img_path'].endswith('1_bad.png')][0]
    sample = train[bad]
    assert sample['data_samples'].img_path.endswith('0_good.png')
    with pytest.raises(Exception, match='should not get `None`'):
        _dataset(tmp_path, test_mode=True)[bad]


class _Loop(BaseLoop):

    def __init__(self, dataset):
        self.dataloader = SimpleNamespace(dataset=dataset)

    def run(self):
        pass


def test_report_hook_lists_skipped_images(tmp_path, monkeypatch):
    (tmp_path / 'a').mkdir()
    Image.fromarray(RGB).save(tmp_path / 'a' / 'good.png')
    (tmp_path / 'a' / 'bad.png').write_bytes(b'xx')
    train = _dataset(tmp_path, test_mode=False)
    for i in range(len(train)):
        train.prepare_data(i)
        train.prepare_data(i)  # a second epoch
    # A wrapper (e.g. RepeatDataset) around the dataset is looked through.
    wrapped = SimpleNamespace(dataset=train)
    assert len(list(find_image_loaders(wrapped))) == 1
    logged = []
    monkeypatch.setattr(report_module, 'print_log',
                        lambda msg, **kw: logged.append((msg, kw['level'])))
    runner = SimpleNamespace(_train_loop=_Loop(wrapped), _val_loop=None,
                             _test_loop={'type': 'not built'})
    BadImageReportHook().after_run(runner)
    assert len(logged) == 1
    message, level = logged[0]
    bad = osp.join(str(tmp_path), 'a', 'bad.png')
    assert level == logging.WARNING
    assert '1 train images skipped 2 times' in message
    assert f'{bad}: not an image' in message and '(x2)' in message


def test_registered_in_both_toolboxes():
    from mmpretrain.registry import TRANSFORMS as PRETRAIN
    from mmseg.registry import TRANSFORMS as SEG
    assert 'LoadWSOLImage' in TRANSFORMS
    assert PRETRAIN.get('LoadWSOLImage') is SEG.get('LoadWSOLImage')


def test_results_that_hold_an_array_pass_through():
    """mmpretrain's inferencer hands arrays, not paths, to the pipeline."""
    img = np.arange(24, dtype=np.uint8).reshape(2, 4, 3)
    out = LoadWSOLImage()(dict(img=img))
    assert out['img'] is img
    assert out['img_shape'] == out['ori_shape'] == (2, 4)
    grey = LoadWSOLImage(to_float32=True)(dict(img=img[..., 0]))
    assert grey['img'].shape == (2, 4, 3) and grey['img'].dtype == np.float32
    with pytest.raises(TypeError, match='array'):
        LoadWSOLImage()(dict(img='not an image'))
