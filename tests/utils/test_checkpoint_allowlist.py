"""torch.load(weights_only=True) reads mmengine checkpoints, and only them."""
import pickle

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer, MessageHub

import spol_mm  # noqa: F401  (installs the allow-list)


class NotAllowed:
    pass


class GetattrGadget:
    """Pickles as ``getattr(numpy.ndarray, 'tofile')``."""

    def __reduce__(self):
        return getattr, (np.ndarray, 'tofile')


def test_message_hub_state_loads(tmp_path):
    hub = MessageHub.get_instance('spol_mm_test_allowlist')
    hub.update_scalar('train/loss', np.float64(0.5))
    hub.update_scalar('train/acc', np.int64(3))
    hub.update_info('iter', 7)
    state = dict(message_hub=hub.state_dict(), meta=dict(seed=np.int64(1)),
                 state_dict={'w': torch.ones(2)})
    torch.save(state, tmp_path / 'ckpt.pth')
    loaded = torch.load(tmp_path / 'ckpt.pth')  # weights_only by default
    buffer = loaded['message_hub']['log_scalars']['train/loss']
    assert isinstance(buffer, HistoryBuffer)
    assert buffer.mean() == 0.5
    assert loaded['meta']['seed'] == 1


@pytest.mark.parametrize('payload', [NotAllowed(), GetattrGadget()])
def test_other_globals_are_still_refused(payload, tmp_path):
    torch.save({'x': payload}, tmp_path / 'evil.pth')
    with pytest.raises(pickle.UnpicklingError):
        torch.load(tmp_path / 'evil.pth')
