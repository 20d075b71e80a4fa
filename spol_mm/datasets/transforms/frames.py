"""The WSOL protocol's test frame for any config's test pipeline."""
import copy
from typing import Dict, List, Optional, Sequence

__all__ = ['protocol_test_pipeline']

# Transforms that change the frame (size, crop, flip): the protocol's
# resize replaces all of them.
_FRAME_TRANSFORMS = frozenset({
    'Resize', 'ResizeEdge', 'RandomResize', 'RandomChoiceResize',
    'CenterCrop', 'WSOLCenterCrop', 'RandomCrop', 'WSOLRandomCrop',
    'RandomResizedCrop', 'RandomFlip', 'TestTimeAug'
})


def _type(transform: Dict) -> str:
    """The registry name without its scope (``mmpretrain.Resize``)."""
    return str(transform.get('type', '')).split('.')[-1]


def protocol_test_pipeline(pipeline: Sequence[Dict],
                           size: Optional[int] = None) -> List[Dict]:
    """``pipeline`` with its frame replaced by the protocol's.

    The loading transforms (``Load*``) and the packer (``Pack*``) are kept;
    every resize, crop and flip is dropped, and one resize of the whole
    image to ``size x size`` (no aspect ratio kept) goes before the packer.
    ``configs/_base_/datasets/cub_wsol.py``'s ``test_pipeline`` becomes its
    ``protocol_test_pipeline``.

    Args:
        pipeline (Sequence[dict]): A test pipeline (transform configs).
        size (int, optional): The side of the protocol's frame. Defaults
            to the protocol's, 224 (``spol_mm.evaluation.functional``'s
            ``PROTOCOL_SIZE``).

    Returns:
        list[dict]: A new pipeline (``pipeline`` is not changed).

    Raises:
        ValueError: A transform that is neither loading, packing nor a
            frame change (its effect on the protocol's frame is unknown), or
            no packer.
    """
    if size is None:
        # (imported here: spol_mm.evaluation reads datasets' metadata)
        from spol_mm.evaluation.functional.wsol_protocol import PROTOCOL_SIZE
        size = PROTOCOL_SIZE
    loads, pack = [], None
    for transform in pipeline:
        name = _type(transform)
        if name.startswith('Load'):
            loads.append(copy.deepcopy(transform))
        elif name.startswith('Pack'):
            pack = copy.deepcopy(transform)
        elif name not in _FRAME_TRANSFORMS:
            raise ValueError(
                f'cannot put the test pipeline in the protocol frame: '
                f'{name!r} is neither a loading, a packing nor a resize / '
                'crop / flip transform; give a resize-only test pipeline')
    if pack is None:
        raise ValueError('cannot put the test pipeline in the protocol '
                         'frame: it has no Pack* transform')
    return loads + [
        dict(type='Resize', scale=(size, size), keep_ratio=False), pack
    ]
