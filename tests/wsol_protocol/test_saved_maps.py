"""wsol_protocol.saved_maps: the .npy map reader's fast path and its
fallback give what np.load gives."""
import numpy as np
import pytest

from wsol_protocol.saved_maps import (EvalError, load_scoremap,
                                      save_scoremap, scoremap_path)


@pytest.mark.parametrize('case', [
    'saved', 'float64', 'big_endian', 'fortran', 'trailing', 'other_shape'
])
def test_reader_equals_np_load(tmp_path, case):
    rng = np.random.default_rng(0)
    m = rng.random((224, 224))
    path = str(tmp_path / 'x.jpg.npy')
    if case == 'saved':
        save_scoremap(str(tmp_path), 'x.jpg', m)
    elif case == 'float64':
        np.save(path, m)
    elif case == 'big_endian':
        np.save(path, m.astype('>f4'))
    elif case == 'fortran':
        np.save(path, np.asfortranarray(m))
    elif case == 'trailing':
        np.save(path, m.astype(np.float32))
        with open(path, 'ab') as f:
            f.write(b'\0' * 8)
    else:
        np.save(path, m[:100])
    if case == 'other_shape':
        with pytest.raises(EvalError, match=r'shape \(100, 224\)'):
            load_scoremap(path)
        return
    np.testing.assert_array_equal(load_scoremap(path),
                                  np.load(path).astype(np.float64))
    assert scoremap_path(str(tmp_path), 'x.jpg') == path


def test_truncated_map_is_an_error(tmp_path):
    path = save_scoremap(str(tmp_path), 'x.jpg', np.zeros((224, 224)))
    with open(path, 'r+b') as f:
        f.truncate(1000)
    with pytest.raises(EvalError, match='cannot read as .npy'):
        load_scoremap(path)
