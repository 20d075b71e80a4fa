"""The test pipeline made fit for a user's images, so that what the network
sees can be mapped back to the image.

The test pipelines resize (mmcv's ``Resize`` / mmpretrain's ``ResizeEdge``
record ``scale_factor = (w_scale, h_scale)``), may crop (``WSOLCenterCrop``
records ``crop_bbox`` in the resized frame) and flip. The mapping back
itself is geometry: :func:`spol_mm.structures.boxes_to_original` and
:func:`spol_mm.structures.score_map_to_original`.
"""
import copy
from typing import List, Sequence

#: Transforms that read files: the inferencer loads the image itself and
#: has no annotations.
LOADING_TRANSFORMS = ('LoadImageFromFile', 'LoadWSOLImage', 'LoadWSOLMask',
                      'LoadAnnotations')
#: Crops of test pipelines (dropped for a whole-image prediction).
CROP_TRANSFORMS = ('WSOLCenterCrop', 'CenterCrop', 'WSOLRandomCrop',
                   'RandomCrop', 'RandomResizedCrop')


def _type_name(transform) -> str:
    return transform['type'] if isinstance(transform['type'], str) \
        else transform['type'].__name__


def inference_pipeline(pipeline: Sequence[dict],
                       whole_image: bool = True) -> List[dict]:
    """A test pipeline made fit for images given by a user.

    Args:
        pipeline (Sequence[dict]): The config's test pipeline.
        whole_image (bool): Drop the crops, so the network sees (and the
            score map covers) the whole image at the test resize. Else
            mmcv's ``CenterCrop`` becomes ``WSOLCenterCrop``, which records
            where it cropped.

    Returns:
        list[dict]: The transforms without file loading (see
        :data:`LOADING_TRANSFORMS`) and, with ``whole_image``, without crops.
    """
    out = []
    for transform in copy.deepcopy(list(pipeline)):
        name = _type_name(transform)
        if name in LOADING_TRANSFORMS:
            continue
        if name in CROP_TRANSFORMS:
            if whole_image:
                continue
            if name == 'CenterCrop':
                transform['type'] = 'WSOLCenterCrop'
        out.append(transform)
    return out
