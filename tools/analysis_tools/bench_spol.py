"""SPOL's speed table: pseudo labels, the WSOL evaluator, MFF-Net1's step.

One run measures, side by side, in interleaved rounds (the GPPL sections
``--repeat``, the evaluator ``--eval-repeat``): every rate as the median
(min, max) over the rounds, every speedup as the median (min, max) of the
per-round ratios to its anchor:

- ``gppl``: GPPL labels (maps/s) of the batched :func:`gppl_labels` against
  the one-image-at-a-time numpy version of the same algorithm, on the same
  CAMs; the labels must be equal.
- ``gppl_e2e``: pseudo-label writing without the network (decode the image,
  GPPL, resize to the image, write the PNG atomically), images/s in
  interleaved rounds, the straightforward loop against the GPPL hook's
  path. With ``--spol-official-dir`` (a checkout of the authors' released
  code, imported from there at run time; its script needs albumentations)
  also their own loop, ``cub200-cam/test.py``'s ``pred_save`` (one process,
  the network replaced by the same CAMs, its ``.cuda()`` calls kept on the
  CPU), against spol_mm with their Gaussians (``mode='released'``) on the
  same images; the check compares their PNGs' Gaussian channel with
  spol_mm's released prior.
- ``eval``: MaxBoxAcc (largest contour) and MaxBoxAccV2 (every contour),
  maps/s at 100 thresholds, on each map kind (smooth blobs; blobs under
  pixel noise, ``--eval-noise``; real CAMs from ``--cam-maps``, a
  ``tools/test.py --out-maps`` folder): the anchor against spol_mm's
  accumulator in memory and against ``tools/eval_wsol.py``'s evaluation
  (``.npy`` loading included) with each of ``--eval-workers`` processes.
  The anchor is the protocol's reference code itself when ``--wsoleval-dir``
  points at a checkout of clovaai/wsolevaluation (imported from there at
  run time), else the in-project one-threshold-at-a-time version. Each
  side computes what the reference does for the metric (MaxBoxAccV2: the
  every-contour rule alone); one more MaxBoxAccV2 row adds the
  largest-contour rule, as ``eval_wsol --multi-contour`` does by default.
  All run on the same maps in interleaved rounds (``--eval-repeat``;
  median, min, max), and per-IoU MaxBoxAcc must be equal.
- ``train``: the training step of MFF-Net1 (ResNet-50, 224 px) and of
  MFF-Net1 without MCA against a plain mmpretrain ResNet-50 + GAP + linear
  classifier at the same batch, steps interleaved round by round so that
  all see the same machine load: step medians with min / max, the per-round
  step ratio's median with min / max, and the FLOP ratio (the floor the
  time ratio can reach).
- ``backbones``: MFF-Net1's training step (224 px) on each backbone the
  configs use: EfficientNet-Lite0 as configured (stem and first two stages
  frozen) and fully trained, ResNet-18 and ResNet-50; interleaved, with
  min / median / max and FLOPs.

Peak memory of each is measured in a fresh process (CPU: peak RSS above the
RSS before the work; CUDA: ``torch.cuda.max_memory_allocated``).

Example::

    python tools/analysis_tools/bench_spol.py --out-dir work_dirs/bench_spol \
        --wsoleval-dir ../wsolevaluation --cam-maps work_dirs/cam/maps \
        --spol-official-dir ../SPOL

writes ``bench_spol.json`` and ``bench_spol.md`` there and prints the table.
"""
import argparse
import contextlib
import io
import json
import multiprocessing as mp
import os
import os.path as osp
import platform
import resource
import statistics
import tempfile
import time
from typing import Callable, Dict, List, Optional

import cv2
import numpy as np
import torch

from spol_mm.benchmarks.score_maps import blob_maps

SECTIONS = ('gppl', 'gppl_e2e', 'eval', 'train', 'backbones')
E2E_CLASS = '001.synthetic'  # the class folder of the end-to-end images
RELEASED = dict(mode='released')  # spol_mm's GPPL against the authors' loop


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='SPOL speed benchmarks')
    parser.add_argument('--only', nargs='+', choices=SECTIONS,
                        default=list(SECTIONS), help='sections to run')
    parser.add_argument('--out-dir', default='work_dirs/bench_spol')
    parser.add_argument('--repeat', type=int, default=5,
                        help='interleaved rounds of the GPPL sections')
    parser.add_argument('--gppl-maps', type=int, default=64)
    parser.add_argument('--gppl-size', type=int, default=256)
    parser.add_argument('--eval-maps', type=int, default=100,
                        help='maps of each kind (at most, for --cam-maps)')
    parser.add_argument('--eval-noise', type=float, default=0.1,
                        help='pixel-noise amplitude of the noisy maps')
    parser.add_argument('--eval-repeat', type=int, default=3,
                        help='interleaved rounds of the evaluator section')
    parser.add_argument('--eval-workers', type=int, nargs='+',
                        default=[1, 2],
                        help='process counts of eval_wsol\'s evaluation')
    parser.add_argument('--cam-maps',
                        help='a tools/test.py --out-maps folder: real CAMs '
                        'as the third map kind')
    parser.add_argument('--wsoleval-dir',
                        help='a checkout of clovaai/wsolevaluation: its '
                        'BoxEvaluator is the evaluator\'s anchor')
    parser.add_argument('--spol-official-dir',
                        help='a checkout of the authors\' SPOL code: its '
                        'cub200-cam/test.py pseudo-label loop is the '
                        'end-to-end section\'s anchor for mode=released')
    parser.add_argument('--batch-size', type=int, default=8)
    parser.add_argument('--train-steps', type=int, default=6,
                        help='timed steps per model (after 2 warm-up steps)')
    parser.add_argument('--no-memory', action='store_true',
                        help='skip the peak-memory subprocesses')
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available()
                        else 'cpu')
    return parser.parse_args()


# ---------------------------------------------------------------------------
# Timing and memory
# ---------------------------------------------------------------------------
def _sync(device: str) -> None:
    if str(device).startswith('cuda'):
        torch.cuda.synchronize()


def _rss_mib() -> float:
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE') / 2**20


def _measure_peak(workload: str, kwargs: dict) -> float:
    """Run ``workload`` once in this (fresh) process; peak MiB."""
    work = WORKLOADS[workload](**kwargs)  # builds inputs / models first
    device = kwargs.get('device', 'cpu')
    if str(device).startswith('cuda'):
        torch.cuda.reset_peak_memory_stats()
        work()
        torch.cuda.synchronize()
        return torch.cuda.max_memory_allocated() / 2**20
    before = _rss_mib()
    work()
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before


def peak_memory(workload: str, **kwargs) -> float:
    """Peak memory (MiB) of one run of a workload, in a fresh process."""
    with mp.get_context('spawn').Pool(1) as pool:
        return round(pool.apply(_measure_peak, (workload, kwargs)), 1)


# ---------------------------------------------------------------------------
# Workloads: each returns a no-argument callable doing the measured work.
# ---------------------------------------------------------------------------
def gppl_reference_work(num: int, size: int, **_) -> Callable:
    from spol_mm.pseudo_label import gppl_labels_numpy_reference
    cams = blob_maps(num, size).astype(np.float32).astype(np.float64)
    return lambda: gppl_labels_numpy_reference(cams)


def gppl_batched_work(num: int, size: int, device: str = 'cpu',
                      **_) -> Callable:
    from spol_mm.pseudo_label import gppl_labels
    cams = torch.from_numpy(blob_maps(num, size)).float().to(device)
    return lambda: gppl_labels(cams)


WORKLOADS = dict(
    gppl_reference=gppl_reference_work,
    gppl_batched=gppl_batched_work,
)


# ---------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------
def bench_gppl(args) -> List[Dict]:
    from spol_mm.pseudo_label import gppl_labels, gppl_labels_numpy_reference
    kw = dict(num=args.gppl_maps, size=args.gppl_size)
    cams = blob_maps(**kw)
    # Both see the same float32 values (the batched path runs in float32).
    expected = gppl_labels_numpy_reference(
        cams.astype(np.float32).astype(np.float64))
    got = gppl_labels(torch.from_numpy(cams).float().to(args.device)).cpu()
    differ = int((got.numpy() != expected).sum())
    names = {'numpy, one image at a time': 'gppl_reference',
             f'batched torch ({args.device})': 'gppl_batched'}
    rates = _interleaved_rates(
        {k: WORKLOADS[w](device=args.device, **kw) for k, w in names.items()},
        kw['num'], args.repeat, args.device)
    (ref, ref_rates), (ours, our_rates) = rates.items()
    task = f'GPPL labels, {kw["size"]} px'
    rows = [rate_row(task, ref, ref_rates, 'maps/s'),
            rate_row(task, ours, our_rates, 'maps/s', ref_rates)]
    rows[1]['check'] = f'{differ} of {expected.size} labels differ'
    if not args.no_memory:
        rows[0]['peak_mib'] = peak_memory('gppl_reference', **kw)
        rows[1]['peak_mib'] = peak_memory('gppl_batched', device=args.device,
                                          **kw)
    return rows


def _e2e_images(folder: str, num: int, size: int) -> List[str]:
    """``num`` blurred-noise JPEGs of ``size`` px in the authors' CUB layout
    (``folder/image/<class>/<name>.jpg``) and the list their pseudo-label
    script reads (``folder/train.txt``: name, label, box per line)."""
    rng = np.random.default_rng(0)
    os.makedirs(osp.join(folder, 'image', E2E_CLASS))
    paths, lines = [], []
    for i in range(num):
        img = cv2.GaussianBlur(
            rng.integers(0, 255, (size, size, 3), dtype=np.uint8), (0, 0), 3)
        name = f'{E2E_CLASS}/img_{i:04d}.jpg'
        path = osp.join(folder, 'image', name)
        cv2.imwrite(path, img)
        paths.append(path)
        lines.append(f'{name},0,0 0 {size - 1} {size - 1}\n')
    with open(osp.join(folder, 'train.txt'), 'w') as f:
        f.writelines(lines)
    return paths


def _import_spol_official(root: str):
    """The authors' pseudo-label script, ``cub200-cam/test.py`` of their
    released SPOL code (a checkout at ``root``), imported from there at run
    time (never copied here).

    It imports albumentations, matplotlib and its own top-level ``model``,
    ``network`` and ``utils``; those three, ``sys.path`` and what the
    script sets at import (``CUDA_VISIBLE_DEVICES``, bytecode writing) are
    put back afterwards."""
    import importlib.util
    import sys
    script = osp.join(root, 'cub200-cam', 'test.py')
    if not (osp.isfile(script) and osp.isdir(osp.join(root, 'utils'))):
        raise SystemExit(f'--spol-official-dir {root}: no cub200-cam/test.py '
                         'and utils/ there (a checkout of the authors\' '
                         'SPOL code?)')
    own = ('model', 'network', 'utils')
    saved = {n: sys.modules.pop(n) for n in own if n in sys.modules}
    saved_path, saved_bytecode = list(sys.path), sys.dont_write_bytecode
    saved_env = os.environ.get('CUDA_VISIBLE_DEVICES')
    sys.path[:0] = [osp.dirname(script), osp.abspath(root)]
    try:
        spec = importlib.util.spec_from_file_location('spol_official_cam',
                                                      script)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except ImportError as err:
        raise SystemExit(
            f'--spol-official-dir {root}: cannot import cub200-cam/test.py '
            f'({err}); it needs albumentations, e.g. pip install --target '
            'DIR --no-deps albumentations==2.0.8 albucore==0.0.24 '
            'stringzilla simsimd, then PYTHONPATH=DIR') from None
    finally:
        sys.path[:] = saved_path
        sys.dont_write_bytecode = saved_bytecode
        for n in own:
            sys.modules.pop(n, None)
        sys.modules.update(saved)
        if saved_env is None:
            os.environ.pop('CUDA_VISIBLE_DEVICES', None)
        else:
            os.environ['CUDA_VISIBLE_DEVICES'] = saved_env
    return module


@contextlib.contextmanager
def _cuda_calls_stay_on_cpu():
    """``Tensor.cuda`` / ``Module.cuda`` return their object unchanged (the
    authors' script moves its model and images to CUDA)."""
    saved = torch.Tensor.cuda, torch.nn.Module.cuda
    torch.Tensor.cuda = torch.nn.Module.cuda = lambda self, *a, **k: self
    try:
        yield
    finally:
        torch.Tensor.cuda, torch.nn.Module.cuda = saved


def _official_pseudo_labels(module, datapath: str,
                            cams: np.ndarray) -> Callable[[], None]:
    """The authors' ``Test(...).pred_save()`` over ``datapath/train.txt``
    (decode, their Gaussians, fuse, resize, PNG into ``datapath/seg``), with
    one process and their network replaced by ``cams`` (one per listed
    image, in order)."""
    args = argparse.Namespace(datapath=datapath, list='train.txt',
                              batch_size=1, num_workers=0, mode='val',
                              snapshot=None, clsnum=1)

    class Output:
        """The network's output, which the script indexes with
        ``[0, label, :, :]``: any index gives the CAM (albumentations 1.4
        and later give the label back as a float, which a tensor refuses
        as an index)."""

        def __init__(self, cam: np.ndarray):
            self.cam = torch.from_numpy(cam)

        def __getitem__(self, index) -> torch.Tensor:
            return self.cam

    class CamsInsteadOfTheNetwork(torch.nn.Module):

        def __init__(self, _args):
            super().__init__()
            self.seen = 0

        def forward(self, image) -> Output:
            cam = cams[self.seen % len(cams)]
            self.seen += 1
            return Output(cam)

    def run() -> None:
        with _cuda_calls_stay_on_cpu(), \
                contextlib.redirect_stdout(io.StringIO()):  # its progress
            module.Test(module.Data, CamsInsteadOfTheNetwork,
                        args).pred_save()

    return run


def _gaussian_channel_check(seg_dir: str, names: List[str],
                            cams: np.ndarray, **cfg) -> str:
    """The authors' fused PNGs' Gaussian channel against the prior of
    spol_mm's GPPL with ``cfg`` for the same CAMs, in grey levels."""
    from spol_mm.pseudo_label import (GPPLConfig, gaussian_prior,
                                      normalize_cams)
    prior = gaussian_prior(normalize_cams(torch.from_numpy(cams)),
                           GPPLConfig.build(None, **cfg))
    ours = (prior.double().numpy() * 255).astype(np.uint8)
    theirs = np.stack([
        cv2.imread(osp.join(seg_dir, n.replace('.jpg', '.png')))[..., 1]
        for n in names
    ])
    diff = np.abs(ours.astype(np.int16) - theirs)
    return (f'Gaussian channel vs spol_mm released prior: max abs diff '
            f'{int(diff.max())}, {(diff > 1).mean():.1%} of pixels > 1')


def bench_gppl_end_to_end(args) -> List[Dict]:
    """Decode -> GPPL -> resize -> PNG, the network replaced by fixed CAMs,
    in interleaved rounds: the straightforward loop against the GPPL hook's
    path (labels equal) and, with ``--spol-official-dir``, the authors' own
    pseudo-label loop against spol_mm with their Gaussians
    (``mode='released'``), on the same images and CAMs."""
    from spol_mm.pseudo_label import (gppl_labels, gppl_labels_numpy_reference,
                                      label_path, write_label_pngs)
    num, size = args.gppl_maps, args.gppl_size
    cams = blob_maps(num, size).astype(np.float32)
    task = f'pseudo labels end to end, {size} px (no network)'
    module = (_import_spol_official(args.spol_official_dir)
              if args.spol_official_dir else None)
    with tempfile.TemporaryDirectory() as tmp:
        paths = _e2e_images(tmp, num, size)
        ids = [osp.basename(p) for p in paths]

        def straightforward(out: str) -> None:
            for path, img_id, cam in zip(paths, ids, cams):
                img = cv2.imread(path)
                label = gppl_labels_numpy_reference(
                    cam[None].astype(np.float64))[0]
                label = cv2.resize(label, img.shape[1::-1],
                                   interpolation=cv2.INTER_NEAREST)
                cv2.imwrite(label_path(out, img_id), label)

        def ours(out: str, **cfg) -> None:
            imgs = [cv2.imread(p) for p in paths]
            labels = gppl_labels(torch.from_numpy(cams), **cfg).numpy()
            write_label_pngs(out, ids, labels,
                             [img.shape[:2] for img in imgs])

        def into(name: str, fn: Callable, **cfg) -> Callable[[], None]:
            out = osp.join(tmp, name)
            os.makedirs(out)
            return lambda: fn(out, **cfg)

        # implementation -> (its work, its anchor)
        impls = {
            'numpy loop, cv2.imwrite': (into('loop', straightforward), None),
            'batched GPPL + hook writer': (into('ours', ours),
                                           'numpy loop, cv2.imwrite'),
        }
        if module:
            official = ('authors\' loop (cub200-cam/test.py pred_save, '
                        'network stubbed)')
            impls[official] = (_official_pseudo_labels(module, tmp, cams),
                               None)
            impls['spol_mm, their Gaussians (mode=released) + hook writer'] \
                = (into('released', ours, **RELEASED), official)
        rates = _interleaved_rates({k: v[0] for k, v in impls.items()}, num,
                                   args.repeat)
        rows = [
            rate_row(task, name, rates[name], 'images/s',
                     rates[anchor] if anchor else None)
            for name, (_, anchor) in impls.items()
        ]
        a, b = (osp.join(tmp, d) for d in ('loop', 'ours'))
        same = all((cv2.imread(label_path(a, i), 0) == cv2.imread(
            label_path(b, i), 0)).all() for i in ids)
        rows[1]['check'] = 'PNGs equal' if same else 'PNGs DIFFER'
        if module:
            rows[3]['check'] = _gaussian_channel_check(
                osp.join(tmp, 'seg'),
                [osp.relpath(p, osp.join(tmp, 'image')) for p in paths], cams,
                **RELEASED)
    return rows


def _import_wsolevaluation(root: str):
    """The protocol's reference evaluator (clovaai/wsolevaluation), imported
    from the checkout ``root`` at run time (never copied here).

    It needs ``munch`` and numpy's ``np.float`` alias (gone in numpy 1.24;
    set to ``float``, what it meant)."""
    import importlib
    import sys
    if not osp.isfile(osp.join(root, 'evaluation.py')):
        raise SystemExit(f'--wsoleval-dir {root}: no evaluation.py there '
                         '(a checkout of clovaai/wsolevaluation?)')
    if not hasattr(np, 'float'):
        np.float = float
    sys.path.insert(0, osp.abspath(root))
    try:
        return importlib.import_module('evaluation')
    except ImportError as err:
        raise SystemExit(f'--wsoleval-dir {root}: cannot import its '
                         f'evaluation.py ({err}); it needs munch '
                         '(pip install munch)') from None


def eval_inputs(args) -> Dict[str, tuple]:
    """The evaluator benchmark's map kinds: ``(maps, GT boxes)`` each."""
    from spol_mm.benchmarks.score_maps import (blob_maps, boxes_near_peaks,
                                               noisy_maps, read_map_folder)
    maps = blob_maps(args.eval_maps, 224, seed=1)
    kinds = {'blobs': (maps, boxes_near_peaks(maps, seed=1))}
    kinds['noisy'] = noisy_maps(args.eval_maps, 224, seed=1,
                                noise=args.eval_noise)
    if args.cam_maps:
        kinds['cams'] = read_map_folder(args.cam_maps, args.eval_maps)
    return kinds


def _write_box_metadata(root: str, boxes: List[np.ndarray]) -> List[str]:
    """A metadata folder of 224x224 images with these boxes; their ids."""
    from wsol_protocol.metadata import write_wsol_metadata
    ids = [f'm{i:05d}.png' for i in range(len(boxes))]
    write_wsol_metadata(
        root, ids, {i: 0 for i in ids}, {i: (224, 224) for i in ids},
        boxes={i: b.tolist() for i, b in zip(ids, boxes)})
    return ids


def _ours(maps, boxes, multi: bool,
          both: bool = False) -> Callable[[], Dict[str, float]]:
    """spol_mm's accumulator over in-memory maps: per-IoU MaxBoxAcc. With
    ``multi`` the every-contour rule alone, as the reference computes it;
    ``both`` adds the largest-contour rule (``eval_wsol --multi-contour``'s
    default)."""
    from wsol_protocol import WSOLProtocolAccumulator

    def run() -> List[float]:
        acc = WSOLProtocolAccumulator(
            multi_contour=multi, largest_contour=both or not multi)
        for m, b in zip(maps, boxes):
            acc.add(acc.evaluate_image(m, gt_boxes=b))
        out = acc.box_metrics()
        return [out[f'MaxBoxAcc@{iou}'] for iou in acc.iou_thresholds]

    return run


def _straightforward(maps, boxes, multi: bool) -> Callable[[], List[float]]:
    """The in-project one-threshold-at-a-time version (no checkout)."""
    from wsol_protocol.metrics import (box_best_ious_reference, box_correct,
                                       max_box_acc, protocol_thresholds)

    def run() -> List[float]:
        thr = protocol_thresholds()
        correct = sum(
            box_correct(box_best_ious_reference(m, b, thr, multi))
            for m, b in zip(maps, boxes))
        return max_box_acc(correct, len(maps), thr)[0].tolist()

    return run


def _reference(module, meta_root: str, ids: List[str], maps,
               multi: bool) -> Callable[[], List[float]]:
    """The reference's ``BoxEvaluator`` over the same in-memory maps."""
    from data_loaders import configure_metadata

    def run() -> List[float]:
        evaluator = module.BoxEvaluator(
            metadata=configure_metadata(meta_root), dataset_name='CUB',
            split='test', cam_threshold_list=list(np.arange(0, 1, 0.01)),
            iou_threshold_list=[30, 50, 70], mask_root=None,
            multi_contour_eval=multi)
        for image_id, m in zip(ids, maps):
            evaluator.accumulate(m, image_id)
        return [float(v) for v in evaluator.compute()]

    return run


def _tool(root: str, meta_root: str, multi: bool, workers: int) -> Callable:
    """``tools/eval_wsol.py``'s evaluation of the saved maps (loading
    included, start-up excluded)."""
    from wsol_protocol import evaluate_saved_maps

    def run() -> List[float]:
        out = evaluate_saved_maps(root, meta_root, multi_contour=multi,
                                  workers=workers, largest_contour=not multi)
        return [out[f'MaxBoxAcc@{iou}'] for iou in (30, 50, 70)]

    return run


def paired_ratios(values: List[float], anchor: List[float],
                  key: str) -> Dict[str, float]:
    """Round by round ``values / anchor`` (both measured in the same round,
    seconds apart, so that the machine's drift cancels in each ratio).

    Returns:
        dict: The ratios' median as ``key``, their spread as ``<key>_min``
        and ``<key>_max``.
    """
    ratios = [a / b for a, b in zip(values, anchor)]
    return {key: statistics.median(ratios), f'{key}_min': min(ratios),
            f'{key}_max': max(ratios)}


def _interleaved_rates(fns: Dict[str, Callable], num: int, repeat: int,
                       device: str = 'cpu') -> Dict[str, List[float]]:
    """Items/s of each function per round (``num`` items a call), the
    functions taking turns in every round so that all see the same machine
    load (one warm-up). The order rotates from round to round: the one that
    runs after the anchor finds the caches cold, which would otherwise
    always be the same."""
    for fn in fns.values():
        fn()
    rates = {k: [] for k in fns}
    names = list(fns)
    for i in range(repeat):
        for k in names[i % len(names):] + names[:i % len(names)]:
            _sync(device)
            start = time.perf_counter()
            fns[k]()
            _sync(device)
            rates[k].append(num / (time.perf_counter() - start))
    return rates


def rate_row(task: str, impl: str, rates: List[float], unit: str,
             anchor: Optional[List[float]] = None) -> Dict:
    """A table row of per-round rates: their median and spread, and with
    the anchor's rates of the same rounds the paired speedup."""
    row = dict(task=task, impl=impl, rate=statistics.median(rates),
               rate_min=min(rates), rate_max=max(rates), unit=unit)
    if anchor is not None:
        row.update(paired_ratios(rates, anchor, 'speedup'))
    return row


def bench_evaluator(args) -> List[Dict]:
    """MaxBoxAcc / MaxBoxAccV2 of the same maps by the anchor (the
    reference's own code from ``--wsoleval-dir``, else the in-project
    straightforward version) and by spol_mm, in memory with 1 process (for
    MaxBoxAccV2 also with both rules) and through ``evaluate_saved_maps``
    with each of ``--eval-workers`` processes."""
    from wsol_protocol.saved_maps import save_scoremap
    module = (_import_wsolevaluation(args.wsoleval_dir)
              if args.wsoleval_dir else None)
    anchor = ('reference (wsolevaluation BoxEvaluator)' if module else
              'straightforward per-threshold search (in-project)')
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind, (maps, boxes) in eval_inputs(args).items():
            folder = osp.join(tmp, kind)
            meta_root = osp.join(folder, 'metadata')
            ids = _write_box_metadata(meta_root, boxes)
            for image_id, m in zip(ids, maps):
                save_scoremap(folder, image_id, m)
            for multi, metric in ((False, 'MaxBoxAcc'),
                                  (True, 'MaxBoxAccV2')):
                fns = {
                    anchor: (_reference(module, meta_root, ids, maps, multi)
                             if module else
                             _straightforward(maps, boxes, multi)),
                    'spol_mm accumulator, 1 process': _ours(
                        maps, boxes, multi),
                }
                if multi:  # what eval_wsol --multi-contour does by default
                    fns['spol_mm accumulator with MaxBoxAcc too, 1 process'] \
                        = _ours(maps, boxes, multi, both=True)
                for workers in args.eval_workers:
                    fns[f'eval_wsol (.npy loading), {workers} process'
                        f'{"es" if workers > 1 else ""}'] = _tool(
                            folder, meta_root, multi, workers)
                values = {k: fn() for k, fn in fns.items()}
                rates = _interleaved_rates(fns, len(maps), args.eval_repeat)
                task = (f'{metric}, {kind} ({len(maps)} maps, 224 px, '
                        '100 thresholds)')
                for k in fns:
                    row = rate_row(task, k, rates[k], 'maps/s',
                                   rates[anchor] if k != anchor else None)
                    if k != anchor:
                        row['check'] = ('MaxBoxAcc@30/50/70 equal'
                                        if values[k] == values[anchor] else
                                        f'DIFFER: {values[k]} vs '
                                        f'{values[anchor]}')
                    rows.append(row)
    return rows


def _train_models(batch_size: int, device: str):
    """MFF-Net1 (the CUB config), without MCA, and a plain ResNet-50
    classifier."""
    from mmengine.config import Config

    from spol_mm.utils import build_model_from_config
    root = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    cfg = Config.fromfile(
        osp.join(root, 'configs', 'spol', 'mffnet1_r50_32e_cub.py'))
    num_classes = cfg.model.head.num_classes
    mff = build_model_from_config(cfg, device=device)
    cfg.model = dict(
        type='ImageClassifier',
        backbone=dict(type='ResNet', depth=50, num_stages=4,
                      out_indices=(3, ), style='pytorch'),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(type='LinearClsHead', num_classes=num_classes,
                  in_channels=2048,
                  loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))
    plain = build_model_from_config(cfg, device=device)
    cfg = Config.fromfile(
        osp.join(root, 'configs', 'spol', 'mffnet1_r50_32e_cub.py'))
    cfg.merge_from_dict(dict(model=dict(neck=dict(use_mca=False))))
    no_mca = build_model_from_config(cfg, device=device)
    return dict(plain=plain, mffnet1=mff, no_mca=no_mca), num_classes


def _step_fn(model, batch_size: int, num_classes: int, device: str):
    """One SGD step through the model's own ``train_step``."""
    from mmengine.optim import OptimWrapper
    from mmpretrain.structures import DataSample
    model.train()
    optim = OptimWrapper(
        torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9))
    gen = torch.Generator().manual_seed(0)
    data = dict(
        inputs=[
            torch.randint(0, 256, (3, 224, 224), dtype=torch.uint8,
                          generator=gen) for _ in range(batch_size)
        ],
        data_samples=[
            DataSample().set_gt_label(int(i))
            for i in torch.randint(0, num_classes, (batch_size, ),
                                   generator=gen)
        ])
    return lambda: model.train_step(data, optim)


def train_step_work(name: str, batch_size: int, device: str,
                    **_) -> Callable:
    models, num_classes = _train_models(batch_size, device)
    step = _step_fn(models[name], batch_size, num_classes, device)
    step()  # optimizer state allocated before the measured step
    return step


WORKLOADS['train_step'] = train_step_work


def _interleaved_step_times(models: Dict, args,
                            num_classes: int) -> Dict[str, List[float]]:
    """Seconds per training step of each model, steps interleaved so that
    all models see the same machine load (2 warm-up rounds left out)."""
    steps = {
        k: _step_fn(m, args.batch_size, num_classes, args.device)
        for k, m in models.items()
    }
    times = {k: [] for k in steps}
    for i in range(2 + args.train_steps):
        for k, step in steps.items():
            _sync(args.device)
            start = time.perf_counter()
            step()
            _sync(args.device)
            if i >= 2:
                times[k].append(time.perf_counter() - start)
    return times


def _flops(model, device: str) -> float:
    """FLOPs of one 224 px image through the model (eval mode)."""
    from mmengine.analysis import FlopAnalyzer
    model.eval()
    with torch.no_grad():
        return FlopAnalyzer(
            model, (torch.rand(1, 3, 224, 224, device=device), )).total()


#: The training-step rows: model key -> label (the first is the anchor).
TRAIN_ROWS = {
    'plain': 'ResNet-50 + GAP + linear (mmpretrain)',
    'mffnet1': 'MFF-Net1 (ResNet-50, MFF neck, CAM head)',
    'no_mca': 'MFF-Net1 without MCA (where its cost goes)',
}


def bench_train(args) -> List[Dict]:
    """Training steps interleaved round by round; per model the median and
    spread of its step, and per round its step over the anchor's: the
    ratio's median and spread (a ratio inside the spread of another is no
    difference)."""
    models, num_classes = _train_models(args.batch_size, args.device)
    times = _interleaved_step_times(models, args, num_classes)
    rows = []
    for k, label in TRAIN_ROWS.items():
        t = statistics.median(times[k])
        rows.append(
            dict(task=f'training step, batch {args.batch_size}, 224 px, '
                 f'{args.device}', impl=label, rate=args.batch_size / t,
                 unit='images/s', step_s=t, step_min_s=min(times[k]),
                 step_max_s=max(times[k]),
                 gflops=_flops(models[k], args.device) / 1e9))
        if k != 'plain':
            rows[-1].update(
                paired_ratios(times[k], times['plain'], 'time_ratio'),
                flop_ratio=rows[-1]['gflops'] / rows[0]['gflops'])
        if not args.no_memory:
            rows[-1]['peak_mib'] = peak_memory(
                'train_step', name=k, batch_size=args.batch_size,
                device=args.device)
    return rows


#: MFF-Net1 on each backbone: (config, overrides of its model).
BACKBONES = {
    'EfficientNet-Lite0, frozen_stages=3 (the Lite0 configs)':
    ('mffnet1_lite0_8e_cub.py', {}),
    'EfficientNet-Lite0, all stages trained':
    ('mffnet1_lite0_8e_cub.py', dict(backbone=dict(frozen_stages=0))),
    'ResNet-18': ('mffnet1_r50_32e_cub.py',
                  dict(backbone=dict(depth=18),
                       neck=dict(in_channels=[128, 256, 512]))),
    'ResNet-50': ('mffnet1_r50_32e_cub.py', {}),
}


def _backbone_models(device: str):
    from mmengine.config import Config

    from spol_mm.utils import build_model_from_config
    root = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    models = {}
    for label, (name, override) in BACKBONES.items():
        cfg = Config.fromfile(osp.join(root, 'configs', 'spol', name))
        cfg.model.backbone.init_cfg = None  # speed does not need weights
        cfg.merge_from_dict(dict(model=override))
        models[label] = build_model_from_config(cfg, device=device)
    return models, cfg.model.head.num_classes


def bench_backbones(args) -> List[Dict]:
    models, num_classes = _backbone_models(args.device)
    times = _interleaved_step_times(models, args, num_classes)
    rows = []
    for k, m in models.items():
        flops = _flops(m, args.device)
        t = statistics.median(times[k])
        rows.append(
            dict(task=f'MFF-Net1 training step, batch {args.batch_size}, '
                 f'224 px, {args.device}', impl=k, rate=args.batch_size / t,
                 unit='images/s', step_s=t, step_min_s=min(times[k]),
                 step_max_s=max(times[k]), gflops=flops / 1e9))
    return rows


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------
def main() -> None:
    args = parse_args()
    import spol_mm  # noqa: F401
    from spol_mm.benchmarks.tables import speed_table
    sections = dict(gppl=bench_gppl, gppl_e2e=bench_gppl_end_to_end,
                    eval=bench_evaluator, train=bench_train,
                    backbones=bench_backbones)
    rows = []
    for name in args.only:
        print(f'running {name} ...', flush=True)
        rows += sections[name](args)
    machine = (f'{platform.processor() or platform.machine()}, '
               f'{os.cpu_count()} CPUs, torch {torch.__version__}, '
               f'{torch.get_num_threads()} threads, device {args.device}')
    table = speed_table(rows)
    os.makedirs(args.out_dir, exist_ok=True)
    with open(osp.join(args.out_dir, 'bench_spol.json'), 'w') as f:
        json.dump(dict(machine=machine, args=vars(args), rows=rows), f,
                  indent=1)
    with open(osp.join(args.out_dir, 'bench_spol.md'), 'w') as f:
        f.write(f'{machine}; GPPL: {args.repeat} interleaved rounds; '
                f'evaluator: {args.eval_repeat} interleaved rounds; training '
                f'steps: {args.train_steps} interleaved rounds\n\n{table}')
    print(f'\n{machine}\n\n{table}')


if __name__ == '__main__':
    main()
