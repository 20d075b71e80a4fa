"""demo/image_demo.py: a picture and a printed line per image."""
import importlib.util
import os.path as osp

import cv2
import numpy as np
import pytest

from tests.apis import tiny

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def _demo():
    spec = importlib.util.spec_from_file_location(
        'image_demo', osp.join(ROOT, 'demo', 'image_demo.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def model_files(tmp_path):
    cfg = tiny.cam_config()
    config, ckpt = str(tmp_path / 'cam.py'), str(tmp_path / 'cam.pth')
    cfg.dump(config)
    tiny.save_random_checkpoint(cfg, ckpt, classes=list('abcdefg'))
    return config, ckpt


def _write_image(path, shape=(50, 70)):
    img = np.random.RandomState(1).randint(0, 255, (*shape, 3))
    cv2.imwrite(str(path), img.astype(np.uint8))


def test_demo_on_an_image(tmp_path, model_files, capsys):
    image = tmp_path / 'bird.jpg'
    _write_image(image)
    out_dir = tmp_path / 'out'
    _demo().main([str(image), *model_files, '--out-dir', str(out_dir)])
    picture = out_dir / 'bird.png'
    assert cv2.imread(str(picture)).shape == (50, 70, 3)
    printed = capsys.readouterr().out
    assert f'{image}: box [' in printed and f'-> {picture}' in printed
    line = next(t for t in printed.splitlines() if t.startswith(str(image)))
    assert line.split('classes: ')[1].count('(') == 5  # top-5


def test_demo_on_a_folder(tmp_path, model_files, capsys):
    folder = tmp_path / 'images'
    folder.mkdir()
    for name in ('a.png', 'b.jpg'):
        _write_image(folder / name)
    (folder / 'notes.txt').write_text('not an image')
    out_dir = tmp_path / 'out'
    _demo().main([str(folder), *model_files, '--out-dir', str(out_dir),
                  '--topk', '2', '--keep-crop'])
    assert sorted(p.name for p in out_dir.iterdir()) == ['a.png', 'b.png']
    printed = capsys.readouterr().out.splitlines()
    assert sum(str(folder) in line and ' -> ' in line
               for line in printed) == 2


def test_demo_names_a_missing_image(tmp_path, model_files):
    with pytest.raises(FileNotFoundError, match='nothing.jpg'):
        _demo().main([str(tmp_path / 'nothing.jpg'), *model_files])
    (tmp_path / 'empty').mkdir()
    with pytest.raises(FileNotFoundError, match='no images'):
        _demo().main([str(tmp_path / 'empty'), *model_files])
