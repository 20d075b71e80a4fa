"""spol_mm.utils.fileio: modes, clean failures, stale temp files."""
import errno
import json
import os
import stat
import tempfile

import numpy as np
import pytest

from spol_mm.pseudo_label.io import write_label_png
from wsol_protocol import fileio
from wsol_protocol.fileio import (atomic_write_bytes, atomic_write_json,
                                  atomic_write_text, remove_stale_temps)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask():
    """Set the umask for one test and restore it afterwards."""
    old = os.umask(0o022)
    yield os.umask
    os.umask(old)


@pytest.mark.skipif(os.name != 'posix', reason='POSIX file modes')
@pytest.mark.parametrize('mask, mode', [(0o022, 0o644), (0o027, 0o640)])
def test_files_get_the_mode_of_a_plain_open(tmp_path, umask, mask, mode):
    umask(mask)
    png, js = tmp_path / 'labels' / 'a.png', tmp_path / 'm.json'
    write_label_png(str(png), np.zeros((2, 3), np.uint8))
    atomic_write_json(str(js), {'a': 1}, indent=1)
    assert _mode(png) == _mode(js) == mode
    assert json.loads(js.read_text()) == {'a': 1}
    assert js.read_text().endswith('}\n')


def test_failed_rename_removes_the_temp_and_names_the_file(
        tmp_path, monkeypatch):
    target = tmp_path / 'out.json'
    atomic_write_text(str(target), 'old')

    def no_space(*args):
        raise OSError(errno.ENOSPC, 'No space left on device')

    monkeypatch.setattr(os, 'replace', no_space)
    with pytest.raises(OSError, match=r'cannot write .*out\.json') as info:
        atomic_write_json(str(target), {'new': 1})
    assert info.value.errno == errno.ENOSPC
    assert info.value.filename == str(target)
    assert target.read_text() == 'old'
    assert os.listdir(tmp_path) == ['out.json']


def test_interrupt_removes_the_temp(tmp_path, monkeypatch):

    def interrupt(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, 'fsync', interrupt)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_bytes(str(tmp_path / 'a.png'), b'x')
    assert os.listdir(tmp_path) == []


def test_temp_names_are_hidden_and_never_end_like_the_target(
        tmp_path, monkeypatch):
    seen = []
    replace = os.replace

    def spy(src, dst):
        seen.append(os.path.basename(src))
        replace(src, dst)

    monkeypatch.setattr(os, 'replace', spy)
    atomic_write_bytes(str(tmp_path / 'a.png'), b'x')
    atomic_write_bytes(str(tmp_path / 'b.tmp'), b'x')
    assert all(name.startswith('.') for name in seen)
    assert not seen[0].endswith('.png') and not seen[1].endswith('.tmp')


def _leave_temp(folder, name) -> str:
    """The temp file of a write killed before its rename."""
    os.makedirs(folder, exist_ok=True)
    fd, tmp = fileio._create_temp(str(folder), name)
    os.close(fd)
    return os.path.basename(tmp)


def test_remove_stale_temps_keeps_real_files(tmp_path):
    # mkstemp's names, as earlier versions left them, go as well.
    fd, old = tempfile.mkstemp(dir=tmp_path, prefix='.a.png.', suffix='.tmp')
    os.close(fd)
    a_temps = [_leave_temp(tmp_path, 'a.png'), os.path.basename(old)]
    _leave_temp(tmp_path, 'b.png')
    _leave_temp(tmp_path / 'sub', 'c.png')
    keep = ['.a.png.tmp', 'a.png.1234abcd.tmp', '.a.png', 'a.png', '.b.tmp']
    for name in keep:
        (tmp_path / name).write_bytes(b'real')

    removed = remove_stale_temps(str(tmp_path), 'a.png')
    assert sorted(os.path.basename(p) for p in removed) == sorted(a_temps)
    assert len(remove_stale_temps(str(tmp_path))) == 1  # b.png's
    assert len(remove_stale_temps(str(tmp_path), recursive=True)) == 1
    assert sorted(os.listdir(tmp_path)) == sorted(keep + ['sub'])
    assert os.listdir(tmp_path / 'sub') == []
    assert remove_stale_temps(str(tmp_path / 'missing')) == []
