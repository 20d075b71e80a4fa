"""Report the images ``LoadWSOLImage(on_bad_image='skip')`` skipped."""
import logging
from typing import Any, Dict, Iterator, List, Tuple

from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.runner import BaseLoop

from spol_mm.datasets.transforms.loading import LoadWSOLImage
from spol_mm.registry import HOOKS

# Loops the runner has built; reading the public properties would build the
# missing ones (and their datasets) as a side effect.
_LOOPS = (('train', '_train_loop'), ('val', '_val_loop'), ('test',
                                                          '_test_loop'))


def find_image_loaders(dataset: Any) -> Iterator[LoadWSOLImage]:
    """The :class:`LoadWSOLImage` transforms in a (wrapped) dataset.

    Args:
        dataset: A dataset, or a wrapper holding ``dataset`` / ``datasets``.

    Yields:
        LoadWSOLImage: Each one in the pipelines, nested containers included.
    """
    inner = getattr(dataset, 'datasets', None) or [
        getattr(dataset, 'dataset', None)
    ]
    for child in inner:
        if child is not None and child is not dataset:
            yield from find_image_loaders(child)
    yield from _in_transforms(getattr(dataset, 'pipeline', None))


def _in_transforms(transform: Any) -> Iterator[LoadWSOLImage]:
    if isinstance(transform, LoadWSOLImage):
        yield transform
    for child in getattr(transform, 'transforms', None) or []:
        yield from _in_transforms(child)


@HOOKS.register_module()
class BadImageReportHook(Hook):
    """At the end of a run, log the images each loader skipped.

    Every skip is also logged when it happens (by the process that loads
    the image); this gathers them, over all data-loader workers, into one
    summary per loop: a warning with the count and up to ``max_listed``
    paths with their problems, or an info line saying none were skipped.
    Loops whose pipelines have no ``LoadWSOLImage(on_bad_image='skip')``
    are not mentioned.

    Args:
        max_listed (int): Paths listed per loop. Defaults to 20.
    """

    priority = 'VERY_LOW'

    def __init__(self, max_listed: int = 20) -> None:
        self.max_listed = max_listed

    def skipped(self, runner) -> List[Tuple[str, List[Tuple[str, str]]]]:
        """``(loop name, [(path, reason), ...])`` for each skipping loop."""
        report = []
        for name, attr in _LOOPS:
            loop = getattr(runner, attr, None)
            if not isinstance(loop, BaseLoop):
                continue
            loaders = [
                t for t in find_image_loaders(loop.dataloader.dataset)
                if t.on_bad_image == 'skip'
            ]
            if loaders:
                report.append(
                    (name, [s for t in loaders for s in t.skipped_images()]))
        return report

    def after_run(self, runner) -> None:
        """Log the summary."""
        for name, skipped in self.skipped(runner):
            if not skipped:
                print_log(f'BadImageReportHook: no {name} image skipped',
                          logger='current', level=logging.INFO)
                continue
            # An image is skipped again each time it is drawn (every epoch).
            times: Dict[str, int] = {}
            reasons: Dict[str, str] = {}
            for path, reason in skipped:
                times[path] = times.get(path, 0) + 1
                reasons.setdefault(path, reason)
            lines = [
                f'  {path}: {reasons[path]} (x{times[path]})'
                for path in list(times)[:self.max_listed]
            ]
            if len(times) > self.max_listed:
                lines.append(f'  ... and {len(times) - self.max_listed} more')
            print_log(
                f'BadImageReportHook: {len(times)} {name} images skipped '
                f"{len(skipped)} times (on_bad_image='skip'):\n" +
                '\n'.join(lines),
                logger='current', level=logging.WARNING)
