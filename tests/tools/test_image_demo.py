"""demo/image_demo.py: a picture and a printed line per image."""
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest

from tests.apis import tiny

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DEMO = osp.join(ROOT, 'demo', 'image_demo.py')


def _demo(*args):
    """Run the demo as a user does; its exit status and output."""
    return subprocess.run([sys.executable, DEMO, *map(str, args)],
                          capture_output=True,
                          text=True,
                          cwd=ROOT)


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


def test_demo_on_an_image(tmp_path, model_files):
    image = tmp_path / 'bird.jpg'
    _write_image(image)
    out_dir = tmp_path / 'out'
    done = _demo(image, *model_files, '--out-dir', out_dir)
    assert done.returncode == 0, done.stderr[-3000:]
    picture = out_dir / 'bird.png'
    assert cv2.imread(str(picture)).shape == (50, 70, 3)
    printed = done.stdout
    assert f'{image}: box [' in printed and f'-> {picture}' in printed
    line = next(t for t in printed.splitlines() if t.startswith(str(image)))
    assert line.split('classes: ')[1].count('(') == 5  # top-5


def test_demo_on_a_folder(tmp_path, model_files):
    folder = tmp_path / 'images'
    folder.mkdir()
    for name in ('a.png', 'b.jpg'):
        _write_image(folder / name)
    (folder / 'notes.txt').write_text('not an image')
    out_dir = tmp_path / 'out'
    done = _demo(folder, *model_files, '--out-dir', out_dir, '--topk', '2',
                 '--keep-crop')
    assert done.returncode == 0, done.stderr[-3000:]
    assert sorted(p.name for p in out_dir.iterdir()) == ['a.png', 'b.png']
    printed = done.stdout.splitlines()
    assert sum(str(folder) in line and ' -> ' in line
               for line in printed) == 2


def test_demo_names_a_missing_image(tmp_path, model_files):
    done = _demo(tmp_path / 'nothing.jpg', *model_files)
    assert done.returncode != 0
    assert 'FileNotFoundError' in done.stderr
    assert 'nothing.jpg' in done.stderr
    (tmp_path / 'empty').mkdir()
    done = _demo(tmp_path / 'empty', *model_files)
    assert done.returncode != 0
    assert 'FileNotFoundError' in done.stderr and 'no images' in done.stderr
