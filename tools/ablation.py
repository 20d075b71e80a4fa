"""SPOL's Tables 2-4 on the generated benchmark, over seeds, beside the paper.

Rows (``--groups``), each a config under ``configs/spol`` (the ablation's
changes live there, once; the tables below only name them):

- ``fusion`` (Table 2): Fuse1..Fuse4 (the deepest 1..4 backbone maps) fused
  by addition, concatenation and multiplication; MFF-Net1's CAM.
- ``modules`` (Table 3): the CAM baseline, MFF-Net1 without MCA, without
  the aux loss, and MFF-Net1.
- ``gppl`` (Table 4): the pseudo labels of the default MFF-Net1 with each
  named GPPL setting (``spol_mm.pseudo_label.GPPL_SETTINGS``: the readings
  of the paper's 0.7 step, background thresholds, the released variant,
  without the threshold, without the Gaussian), scored against the GT
  masks; MFF-Net2 trained on them; SPOL's box.
- ``stage2`` (``--preset lite0``): MFF-Net2 on the config's own labels, its
  loss normalised as Eq. 7 or over the labelled pixels.

``--preset lite0`` (default) runs ``make demo``'s pretrained Lite0 configs on
the CUB-like benchmark with its schedules (8 stage-1, 4 stage-2 epochs);
every box threshold is chosen on ``val`` (``threshold (val)``; ``GT-known
Loc`` / ``Top-1 Loc`` are test's at that threshold) and the protocol's
MaxBoxAccV2 / PxAP are read in its frame (``tools/test.py
--protocol-frame``). ``--preset r18`` is the from-scratch ResNet-18 on the
part-only stress test.

Every row runs for each ``--seeds`` (stage 1 and stage 2 reseeded) through
``tools/train.py`` / ``tools/test.py`` / ``tools/generate_pseudo_labels.py``.
A finished run's metrics and wall time go to ``<results>/<run>.seed<k>.json``
(default ``docs/ablation/<preset>``, committed), and ``<results>/tables.md``
is rewritten after every run: mean ± std over the seeds, the paper's numbers
beside. A run whose JSON exists is skipped, on any machine, so the ablation
resumes across sessions; checkpoints and logs stay in ``--work-dir``.

Example (the tables of ``docs/ablation.md``)::

    python tools/ablation.py --groups fusion modules gppl --seeds 0 1 2
"""
import argparse
import json
import os
import os.path as osp
import re
import shlex
import subprocess
import sys
import time
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import cv2
import numpy as np

from spol_mm.benchmarks.tables import (grid_table, mean_std, mean_std_table,
                                       pick, pick_on_val, slug)
from spol_mm.pseudo_label.quality import GPPL_SETTINGS
from spol_mm.utils.fileio import atomic_write_json, atomic_write_text

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def paper(top1: Optional[float] = None,
          top5: Optional[float] = None,
          gt_known: Optional[float] = None) -> Dict[str, float]:
    """The paper's numbers for a row (ResNet-50 on CUB-200-2011)."""
    numbers = {'Top-1 Loc': top1, 'Top-5 Loc': top5, 'GT-known Loc': gt_known}
    return {k: v for k, v in numbers.items() if v is not None}


# Tables 2-4 of the paper (GT-known Loc only in Table 2; its Fuse1 is the
# plain CAM, the same for the three operators).
PAPER = {
    'Fuse1': paper(gt_known=55.76),
    'Fuse2 add': paper(gt_known=55.19),
    'Fuse3 add': paper(gt_known=55.00),
    'Fuse4 add': paper(gt_known=55.10),
    'Fuse2 concat': paper(gt_known=53.14),
    'Fuse3 concat': paper(gt_known=53.40),
    'Fuse4 concat': paper(gt_known=53.32),
    'Fuse2 mul': paper(gt_known=79.05),
    'Fuse3 mul (default)': paper(gt_known=88.30),
    'Fuse4 mul': paper(gt_known=84.04),
    'MFF-Net1 without MCA': paper(72.83, 85.55, 88.52),
    'MFF-Net1 without aux loss': paper(73.42, 86.21, 89.45),
    'MFF-Net1 (default)': paper(75.82, 89.13, 92.25),
    # Table 4 ("SPOL (Our)" is the paper's 0.7 step, read two ways here).
    "paper, 0.7 step 'off', bg 0.004": paper(78.94, 92.84, 96.46),
    "paper, 0.7 step 'moments', bg 0.004": paper(78.94, 92.84, 96.46),
    "no threshold ('off', fg 0.5)": paper(60.39, 71.38, 73.97),
    'no Gaussian (fg 0.5, bg 0.004)': paper(78.08, 91.82, 95.41),
}

# Stage-1 rows: name -> config (configs/spol/<config>.py).
STAGE1_ROWS = {
    'lite0': {
        'fusion': {
            'Fuse1': 'mffnet1_lite0-fuse1_8e_synthetic',
            'Fuse2 add': 'mffnet1_lite0-fuse2-add_8e_synthetic',
            'Fuse3 add': 'mffnet1_lite0-add_8e_synthetic',
            'Fuse4 add': 'mffnet1_lite0-fuse4-add_8e_synthetic',
            'Fuse2 concat': 'mffnet1_lite0-fuse2-concat_8e_synthetic',
            'Fuse3 concat': 'mffnet1_lite0-concat_8e_synthetic',
            'Fuse4 concat': 'mffnet1_lite0-fuse4-concat_8e_synthetic',
            'Fuse2 mul': 'mffnet1_lite0-fuse2_8e_synthetic',
            'Fuse3 mul (default)': 'mffnet1_lite0_8e_synthetic',
            'Fuse4 mul': 'mffnet1_lite0-fuse4_8e_synthetic',
        },
        'modules': {
            'CAM baseline (Fuse1, no MCA, no aux)': 'cam_lite0_8e_synthetic',
            'MFF-Net1 without MCA': 'mffnet1_lite0-no-mca_8e_synthetic',
            'MFF-Net1 without aux loss': 'mffnet1_lite0-no-aux_8e_synthetic',
            'MFF-Net1 (default)': 'mffnet1_lite0_8e_synthetic',
        },
    },
    'r18': {
        'fusion': {
            'Fuse1': 'mffnet1_r18-fuse1_16e_synthetic',
            'Fuse2 mul': 'mffnet1_r18-fuse2_16e_synthetic',
            'Fuse3 mul (default)': 'mffnet1_r18_16e_synthetic',
            'Fuse4 mul': 'mffnet1_r18-fuse4_16e_synthetic',
            'Fuse3 add': 'mffnet1_r18-add_16e_synthetic',
            'Fuse3 concat': 'mffnet1_r18-concat_16e_synthetic',
        },
        'modules': {
            'CAM baseline (Fuse1, no MCA, no aux)': 'cam_r18_16e_synthetic',
            'MFF-Net1 without MCA': 'mffnet1_r18-no-mca_16e_synthetic',
            'MFF-Net1 without aux loss': 'mffnet1_r18-no-aux_16e_synthetic',
            'MFF-Net1 (default)': 'mffnet1_r18_16e_synthetic',
        },
    },
}
# GPPL rows: name -> settings (on the default MFF-Net1 of the same seed).
# Each names every setting it depends on, so a later change of the defaults
# cannot make it mean something else. 'binarize' is left out: with the
# default fg_thr 0.5 <= 0.7 it gives the labels of 'off' by construction.
GPPL_ROWS = {
    'lite0': {
        name: gppl
        for name, gppl in GPPL_SETTINGS.items() if 'binarize' not in name
    },
    'r18': {
        "0.7 step 'moments'": dict(fg_reading='moments'),
        "0.7 step 'off'": dict(fg_reading='off'),
        "no threshold ('moments')": dict(fg_reading='moments',
                                         use_threshold=False),
        "no threshold ('off')": dict(fg_reading='off', use_threshold=False),
        'no Gaussian': dict(use_gaussian=False),
    },
}
# Stage-2 rows (Lite0): name -> MFF-Net2 config, on the labels of the
# stage-1 config's own GPPL setting.
STAGE2_ROWS = {
    'Eq. 7: sum / all pixels': 'mffnet2_lite0_8e_synthetic',
    'sum / labelled pixels': 'mffnet2_lite0-labelled-loss_8e_synthetic',
}
# CAM-family rows (Lite0, group `camfamily`): name -> CAMFamilyLocalizer
# method, on the CAM baseline's network of the same seed (the classifier
# SPOL's config takes its classes from), beside SPOL with that classifier.
CAMFAMILY_ROWS = {
    'CAM': 'cam',
    'Grad-CAM': 'gradcam',
    'Grad-CAM++': 'gradcam++',
    'XGrad-CAM': 'xgradcam',
    'LayerCAM': 'layercam',
    'Score-CAM (every 8th test image, protocol only)': 'scorecam',
    'Eigen-CAM': 'eigencam',
}
# Score-CAM runs one forward pass per channel of the target layer (128),
# ~10 s per image on 2 CPU cores: the protocol's threshold-free metrics on
# every 8th test image (all classes), no val threshold.
SUBSET_EVERY = 8
# The GPPL row that is the Lite0 configs' own setting (SPOL's row).
DEFAULT_GPPL = "paper, 'off', bg 0.2"
# What each preset trains and evaluates: `lite0` is `make demo`'s
# pretrained EfficientNet-Lite0 on the CUB-like benchmark, `r18` the
# from-scratch ResNet-18 on the part-only stress test.
PRESETS = {
    'lite0':
    dict(
        data='data/cub_like_wsol',
        epochs1=8,
        epochs2=4,
        stage1='mffnet1_lite0_8e_synthetic',
        stage2='mffnet2_lite0_8e_synthetic',
        spol='spol_lite0_synthetic',
        # SPOL's classes from the same MFF-Net1 (the config's classifier is
        # the CAM baseline's network, which the gppl rows do not train).
        classifier='configs/spol/mffnet1_lite0_8e_synthetic.py',
        # Thresholds chosen on val, the protocol's frame by --protocol-frame.
        on_val=True,
        # The cosine schedule ends with the training, as in `make demo`.
        schedule=lambda epochs: [f'param_scheduler.0.end={epochs}']),
    'r18':
    dict(
        data='data/synthetic_wsol',
        epochs1=20,
        epochs2=15,
        stage1='mffnet1_r18_16e_synthetic',
        stage2='mffnet2_r18_12e_synthetic',
        spol='spol_r18_synthetic',
        classifier=None,
        # Its table as it was: test only, the box threshold 0.2.
        on_val=False,
        schedule=lambda epochs: []),
}
# The groups of each preset (tables.md shows them all).
PRESET_GROUPS = {
    'lite0': ['fusion', 'modules', 'gppl', 'stage2', 'camfamily'],
    'r18': ['fusion', 'modules', 'gppl'],
}
# The groups' titles in tables.md.
TITLES = {
    'fusion': 'Table 2: fusion of the deepest 1-4 maps',
    'modules': "Table 3: MFF-Net's components",
    'gppl': 'Table 4: pseudo labels (GPPL settings), SPOL\'s box',
    'stage2': "Stage 2: MFF-Net2's loss normalisation",
    'camfamily': "The CAM family and SPOL on the CAM baseline's classifier",
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--preset', default='lite0', choices=sorted(PRESETS),
                        help='models and data (see PRESETS)')
    parser.add_argument('--groups', nargs='+', default=['gppl'],
                        choices=list(TITLES))
    parser.add_argument('--rows', nargs='+',
                        help='only the rows whose name contains one of these')
    parser.add_argument('--seeds', nargs='+', type=int, default=[0, 1, 2])
    parser.add_argument('--data', help="default: the preset's")
    parser.add_argument('--work-dir',
                        help='checkpoints and logs (default: '
                        'work_dirs/ablation_<preset>)')
    parser.add_argument('--results',
                        help="finished runs' metrics and tables.md (default: "
                        'docs/ablation/<preset>)')
    parser.add_argument('--epochs1', type=int, help="default: the preset's")
    parser.add_argument('--epochs2', type=int, help="default: the preset's")
    parser.add_argument('--workers', type=int, default=2)
    parser.add_argument('--python', default=sys.executable)
    parser.add_argument(
        '--tables-only',
        action='store_true',
        help='rewrite tables.md from the finished runs; run nothing')
    args = parser.parse_args()
    preset = PRESETS[args.preset]
    for key in ('data', 'epochs1', 'epochs2'):
        if getattr(args, key) is None:
            setattr(args, key, preset[key])
    args.work_dir = args.work_dir or f'work_dirs/ablation_{args.preset}'
    args.results = args.results or osp.join(ROOT, 'docs', 'ablation',
                                            args.preset)
    if args.preset != 'lite0' and {'stage2', 'camfamily'} & set(args.groups):
        parser.error('the stage2 and camfamily rows exist for --preset lite0 '
                     'only')
    return args


class Runner:
    """Runs the tools as subprocesses, each result once (resumable)."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.preset = PRESETS[args.preset]
        self.loader = {
            split: [f'{split}_dataloader.num_workers={args.workers}'] +
            ([f'{split}_dataloader.persistent_workers=False']
             if args.workers == 0 else [])
            for split in ('train', 'test')
        }

    def call(self, cmd: List[str], log: str) -> None:
        os.makedirs(osp.dirname(log), exist_ok=True)
        with open(log, 'a') as f:
            f.write('$ ' + ' '.join(cmd) + '\n')
            f.flush()
            done = subprocess.run(
                cmd, cwd=ROOT, stdout=f, stderr=subprocess.STDOUT)
        if done.returncode:
            raise RuntimeError(f'failed ({done.returncode}): '
                               f'{" ".join(cmd)}\nsee {log}')

    def train(self, config: str, work: str, epochs: int, seed: int,
              options: Sequence[str] = ()) -> str:
        ckpt = osp.join(work, f'epoch_{epochs}.pth')
        if not finished(work, ckpt):
            resume = ['--resume'] if osp.exists(
                osp.join(work, 'last_checkpoint')) else []
            self.call([
                self.args.python, 'tools/train.py',
                f'configs/spol/{config}.py', '--work-dir', work,
                '--no-validate', *resume, '--cfg-options',
                f'train_dataloader.dataset.data_root={self.args.data}',
                f'train_cfg.max_epochs={epochs}', f'randomness.seed={seed}',
                'custom_hooks=[]', *self.loader['train'],
                *self.preset['schedule'](epochs), *options
            ], osp.join(work, 'train.log'))
        return ckpt

    def test_many(self, jobs: Sequence[Tuple[str, str, Sequence[str],
                                             bool]]) -> List[Dict]:
        """``(config, out, options, protocol_frame)`` evaluations in ONE
        process (``tools/analysis_tools/test_many.py``: the start-up paid
        once; existing results are skipped); their metrics."""
        lines = []
        for config, out, options, protocol_frame in jobs:
            lines.append(' '.join(shlex.quote(a) for a in [
                f'configs/spol/{config}.py', '--work-dir',
                osp.splitext(out)[0], '--out', out,
                *(['--protocol-frame'] if protocol_frame else []),
                '--cfg-options',
                f'test_dataloader.dataset.data_root={self.args.data}',
                *self.loader['test'], *options
            ]))
        if not all(osp.exists(job[1]) for job in jobs):
            listing = osp.join(osp.dirname(jobs[0][1]), 'test_jobs.txt')
            atomic_write_text(listing, '\n'.join(lines) + '\n')
            self.call([
                self.args.python, 'tools/analysis_tools/test_many.py',
                listing
            ], osp.splitext(listing)[0] + '.log')
        results = []
        for job in jobs:
            with open(job[1]) as f:
                results.append(json.load(f))
        return results

    def evaluate(self, config: str, work: str, options: Sequence[str],
                 test_options: Sequence[str] = ()) -> Dict[str, float]:
        """The preset's evaluation of ``config`` (a CAM model or SPOL);
        ``test_options`` apply to the test split only."""
        if self.preset['on_val']:
            return self.evaluate_on_val(config, work, options, test_options)
        paper, protocol = self.test_many([
            (config, osp.join(work, 'paper.json'), options, False),
            (config, osp.join(work, 'protocol.json'), options, True),
        ])
        out = {
            'GT-known Loc': pick(paper, 'GT-known Loc'),
            'Top-1 Loc': pick(paper, 'Top-1 Loc'),
            'MaxBoxAccV2': pick(protocol, 'MaxBoxAccV2'),
            'cls top-1': pick(paper, 'top1'),
        }
        return {k: v for k, v in out.items() if v is not None}

    def evaluate_on_val(self, config: str, work: str,
                        options: Sequence[str],
                        test_options: Sequence[str] = ()) -> Dict[str, float]:
        """The paper's frame on val and test, the box threshold chosen on
        val; the protocol's frame on val (its MaxBoxAccV2 / PxAP tell rows
        apart where val's GT-known Loc ties) and test."""
        on_val = [*options, 'test_dataloader.dataset.split=val']
        options = [*options, *test_options]
        val, test, protocol, val_protocol = self.test_many([
            (config, osp.join(work, 'val.json'), on_val, False),
            (config, osp.join(work, 'paper.json'), options, False),
            (config, osp.join(work, 'protocol.json'), options, True),
            (config, osp.join(work, 'val_protocol.json'), on_val, True),
        ])
        threshold, picked = pick_on_val(val, test)
        _, best_val = pick_on_val(val, val)
        out = {
            'val GT-known Loc': pick(best_val, 'GT-known Loc'),
            'val MaxBoxAccV2': pick(val_protocol, 'MaxBoxAccV2'),
            'val PxAP': pick(val_protocol, 'PxAP'),
            'threshold (val)': threshold,
            'GT-known Loc': pick(picked, 'GT-known Loc'),
            'GT-known Loc@0.2': pick(test, 'GT-known Loc'),
            'Top-1 Loc': pick(picked, 'Top-1 Loc'),
            'Top-5 Loc': pick(picked, 'Top-5 Loc'),
        }
        for column in ('MaxBoxAccV2', 'PxAP', 'fg share@0.20',
                       'object share'):
            out[column] = pick(protocol, column)
        out['cls top-1'] = pick(test, 'top1')
        return {k: v for k, v in out.items() if v is not None}

    def labels(self, gppl: Dict[str, object], stage1: str, out: str) -> str:
        """The labels of ``gppl`` (the config's own setting, changed by it)
        from the ``stage1`` checkpoint: ``tools/generate_pseudo_labels.py``
        resumes a folder made with the same settings and refuses any
        other."""
        # The config's GPPLHook entry holds the settings.
        hook = [f'custom_hooks.0.gppl_cfg.{k}={v}' for k, v in gppl.items()]
        self.call([
            self.args.python, 'tools/generate_pseudo_labels.py',
            f'configs/spol/{self.preset["stage1"]}.py', stage1, '--out', out,
            '--cfg-options',
            f'train_dataloader.dataset.data_root={self.args.data}',
            'train_dataloader.num_workers=0',
            'train_dataloader.persistent_workers=False', *hook
        ], out + '.log')
        return out


def finished(work: str, ckpt: str) -> bool:
    """Whether ``ckpt`` is complete: mmengine names a checkpoint in
    ``last_checkpoint`` only after writing it in full."""
    marker = osp.join(work, 'last_checkpoint')
    if not osp.exists(marker):
        return False
    with open(marker) as f:
        return osp.basename(f.read().strip()) == osp.basename(ckpt)


def score_labels(label_dir: str, data: str) -> Dict[str, float]:
    """Pseudo labels against the GT masks of a CUB-layout ``data`` folder
    (``images/<id>.jpg``, ``segmentations/<id>.png``), percent; each mask
    read as the label quality tool reads it, at its label's size."""
    from spol_mm.benchmarks.tables import HEADERS
    from spol_mm.pseudo_label import (COUNT_NAMES, label_counts,
                                      label_quality, load_gt_mask_label)
    total = np.zeros(len(COUNT_NAMES), dtype=np.int64)
    for folder, _, files in os.walk(label_dir):
        for name in files:
            if not name.endswith('.png'):
                continue
            rel = osp.splitext(
                osp.relpath(osp.join(folder, name), label_dir))[0]
            label = cv2.imread(osp.join(folder, name), cv2.IMREAD_UNCHANGED)
            if label is None:
                raise FileNotFoundError(f'cannot read {rel}.png in '
                                        f'{label_dir}')
            gt, _ = load_gt_mask_label(
                dict(img_id=rel,
                     img_path=osp.join(data, 'images', rel + '.jpg'),
                     gt_mask_path=[
                         osp.join(data, 'segmentations', rel + '.png')
                     ],
                     gt_ignore_mask_path=None), label.shape)
            total += label_counts(label, gt)
    quality = label_quality(total)
    return {
        f'label {HEADERS[k]}': quality[k]
        for k in ('fg_precision', 'fg_recall', 'bg_precision', 'bg_recall',
                  'ignored')
    }


def num_test_images(data: str) -> int:
    """The test images of a CUB-layout folder (``train_test_split.txt``:
    ``<id> <is_training>``)."""
    path = osp.join(data, 'train_test_split.txt')
    with open(path) as f:
        return sum(line.split()[1:2] == ['0'] for line in f)


def stage1_dir(work_dir: str, config: str, seed: int) -> str:
    """One folder per stage-1 model and seed, shared by the rows."""
    return osp.join(work_dir, 'stage1', slug(config), f'seed{seed}')


def run_stage1(runner: Runner, config: str, seed: int) -> Dict[str, float]:
    """Train ``config`` (stage 1) and evaluate its CAM's box."""
    args = runner.args
    work = stage1_dir(args.work_dir, config, seed)
    ckpt = runner.train(config, work, args.epochs1, seed)
    return runner.evaluate(config, work, [f'load_from={ckpt}'])


def train_spol(runner: Runner, gppl: Dict[str, object], stage2_config: str,
               work: str, seed: int) -> Tuple[str, str, Dict[str, float]]:
    """The preset's MFF-Net1, the labels of ``gppl`` from it (scored
    against the GT masks), MFF-Net2 (``stage2_config``) trained on them.

    Returns:
        tuple: The MFF-Net1 and MFF-Net2 checkpoints, the label scores.
    """
    args = runner.args
    config = runner.preset['stage1']
    stage1 = runner.train(config, stage1_dir(args.work_dir, config, seed),
                          args.epochs1, seed)
    labels = runner.labels(gppl, stage1, osp.join(work, 'pseudo_labels'))
    scores = score_labels(labels, args.data)
    stage2 = runner.train(
        stage2_config, osp.join(work, 'mffnet2'), args.epochs2, seed,
        [f'train_dataloader.dataset.seg_map_root={labels}'])
    return stage1, stage2, scores


def spol_options(stage2_config: str, stage2: str, classifier: str,
                 classifier_ckpt: str) -> List[str]:
    """The SPOL localiser's networks (configs and checkpoints)."""
    return [
        f'model.segmentor=configs/spol/{stage2_config}.py',
        f'model.segmentor_checkpoint={stage2}',
        f'model.classifier={classifier}',
        f'model.classifier_checkpoint={classifier_ckpt}'
    ]


def run_gppl(runner: Runner, gppl: Dict[str, object], stage2_config: str,
             work: str, seed: int) -> Dict[str, float]:
    """SPOL from the labels of ``gppl`` (:func:`train_spol`): the label
    scores and SPOL's box, its classes from the same MFF-Net1."""
    preset = runner.preset
    stage1, stage2, metrics = train_spol(runner, gppl, stage2_config, work,
                                         seed)
    classifier = preset['classifier'] or \
        f'configs/spol/{preset["stage1"]}.py'
    metrics.update(runner.evaluate(
        preset['spol'], work,
        spol_options(stage2_config, stage2, classifier, stage1)))
    return metrics


def run_camfamily(runner: Runner, method: Optional[str],
                  seed: int) -> Dict[str, float]:
    """A CAM method (``None``: SPOL's mask) on the CAM baseline's network
    of ``seed``, SPOL's the default GPPL row's MFF-Net2."""
    args = runner.args
    baseline = 'cam_lite0_8e_synthetic'
    ckpt = runner.train(baseline, stage1_dir(args.work_dir, baseline, seed),
                        args.epochs1, seed)
    work = osp.join(args.work_dir, f'camfamily-{method or "spol"}',
                    f'seed{seed}')
    if method is None:
        gppl_work = osp.join(args.work_dir, f'gppl-{slug(DEFAULT_GPPL)}',
                             f'seed{seed}')
        _, stage2, _ = train_spol(runner, GPPL_ROWS['lite0'][DEFAULT_GPPL],
                                  runner.preset['stage2'], gppl_work, seed)
        return runner.evaluate(
            runner.preset['spol'], work,
            spol_options(runner.preset['stage2'], stage2,
                         f'configs/spol/{baseline}.py', ckpt))
    options = [f'model.classifier_checkpoint={ckpt}',
               f'model.method={method}']
    if method == 'scorecam':
        indices = list(range(0, num_test_images(args.data), SUBSET_EVERY))
        subset = ['test_dataloader.dataset.indices=[' +
                  ','.join(map(str, indices)) + ']']
        protocol, = runner.test_many([
            ('camfamily_lite0_8e_synthetic', osp.join(work, 'protocol.json'),
             options + subset, True)
        ])
        return {c: pick(protocol, c) for c in ('MaxBoxAcc', 'MaxBoxAccV2',
                                               'PxAP', 'fg share@0.20')}
    return runner.evaluate('camfamily_lite0_8e_synthetic', work, options)


class Job:
    """One row of a group: what it runs, under which result key.

    Args:
        group (str): Its group (``fusion``, ``modules``, ...).
        name (str): The row's name in the tables.
        key (str): Its result files' name; rows with the same key are the
            same run.
        spec (dict): Everything the run depends on (stored with it).
        run (callable): ``run(runner, seed)`` -> the run's metrics.
    """

    def __init__(self, group: str, name: str, key: str, spec: Dict,
                 run: Callable[[Runner, int], Dict[str, float]]) -> None:
        self.group, self.name, self.key, self.spec = group, name, key, spec
        self.run = run


def make_jobs(args: argparse.Namespace) -> List[Job]:
    """The rows of ``args.groups`` (``--rows`` applied), in table order.
    A stage-1 row's key is its config, so a config in two groups (MFF-Net1)
    runs once.

    Args:
        args (argparse.Namespace): The command line (preset, groups, rows,
            data, epochs).

    Returns:
        list[Job]: The rows.
    """
    preset = PRESETS[args.preset]
    common = dict(preset=args.preset, data=args.data, epochs1=args.epochs1)
    jobs = []
    for group in args.groups:
        if group in ('fusion', 'modules'):
            for name, config in STAGE1_ROWS[args.preset][group].items():
                jobs.append(
                    Job(group, name, config, dict(common, config=config),
                        lambda runner, seed, c=config: run_stage1(
                            runner, c, seed)))
            continue
        if group == 'camfamily':
            rows = {'SPOL (MFF-Net2 mask)': None, **CAMFAMILY_ROWS}
            for name, method in rows.items():
                key = f'camfamily-{method or "spol"}'
                spec = dict(common, classifier='cam_lite0_8e_synthetic',
                            method=method)
                if method == 'scorecam':
                    spec.update(test_every=SUBSET_EVERY, frames='protocol')
                if method is None:
                    spec.update(gppl=GPPL_ROWS['lite0'][DEFAULT_GPPL],
                                stage2=preset['stage2'],
                                epochs2=args.epochs2)
                jobs.append(
                    Job(group, name, key, spec,
                        lambda runner, seed, m=method: run_camfamily(
                            runner, m, seed)))
            continue
        if group == 'gppl':
            rows = [(name, gppl, preset['stage2'])
                    for name, gppl in GPPL_ROWS[args.preset].items()]
        else:  # on the labels of the configs' own setting
            rows = [(name, GPPL_ROWS['lite0'][DEFAULT_GPPL], config)
                    for name, config in STAGE2_ROWS.items()]
        for name, gppl, stage2 in rows:
            key = f'{group}-{slug(name)}'
            if group == 'stage2' and stage2 == preset['stage2']:
                # Eq. 7 on the default labels is the default GPPL row's run.
                key = f'gppl-{slug(DEFAULT_GPPL)}'
            spec = dict(common, stage1=preset['stage1'], gppl=gppl,
                        stage2=stage2, epochs2=args.epochs2)

            def run(runner: Runner, seed: int, key=key, gppl=gppl,
                    stage2=stage2) -> Dict[str, float]:
                work = osp.join(runner.args.work_dir, key, f'seed{seed}')
                return run_gppl(runner, gppl, stage2, work, seed)

            jobs.append(Job(group, name, key, spec, run))
    if args.rows:
        jobs = [j for j in jobs if any(r in j.name for r in args.rows)]
    return jobs


class Results:
    """The finished runs, one JSON each (``<root>/<key>.seed<k>.json``):
    the run's spec, metrics and wall time. A stored run whose spec differs
    from the row's is refused (the row changed meaning)."""

    def __init__(self, root: str) -> None:
        self.root = root

    def path(self, key: str, seed: int) -> str:
        return osp.join(self.root, f'{key}.seed{seed}.json')

    def seeds(self, key: str) -> List[int]:
        """The seeds of ``key``'s stored runs."""
        found = []
        prefix = f'{key}.seed'
        for name in os.listdir(self.root) if osp.isdir(self.root) else []:
            if name.startswith(prefix) and name.endswith('.json') and \
                    name[len(prefix):-5].isdigit():
                found.append(int(name[len(prefix):-5]))
        return sorted(found)

    def get(self, job: Job, seed: int, strict: bool = True) -> Optional[Dict]:
        """The stored run of ``job`` and ``seed``, None when there is none.

        Args:
            job (Job): The row.
            seed (int): The seed.
            strict (bool): Refuse (exit) a run made with another spec;
                else skip it with a note (rows only shown, not run).

        Returns:
            dict | None: ``spec``, ``metrics``, ``seconds``, ``cpus``.
        """
        path = self.path(job.key, seed)
        if not osp.exists(path):
            return None
        try:
            with open(path) as f:
                stored = json.load(f)
            spec = stored['spec']
        except (OSError, ValueError, KeyError) as err:
            raise SystemExit(f'ablation: {path} is not a result file of this '
                             f'tool ({err}); delete it to rerun the run')
        if spec != dict(job.spec, seed=seed) and not strict:
            print(f'ablation: {path} was made with other settings; not '
                  'shown', flush=True)
            return None
        if spec != dict(job.spec, seed=seed):
            raise SystemExit(
                f'ablation: {path} was run with {spec}, but the row '
                f'{job.name!r} is now {dict(job.spec, seed=seed)}; delete '
                'it (and its work folder) to rerun the run')
        return stored

    def put(self, job: Job, seed: int, metrics: Dict[str, float],
            seconds: float) -> Dict:
        stored = dict(spec=dict(job.spec, seed=seed), metrics=metrics,
                      seconds=round(seconds, 1), cpus=os.cpu_count())
        atomic_write_json(self.path(job.key, seed), stored, indent=1)
        return stored


# The columns of each group's first table (all columns follow it).
COMPACT = ('GT-known Loc', 'Top-1 Loc', 'MaxBoxAccV2', 'PxAP',
           'threshold (val)', 'cls top-1')
LABEL_COLUMNS = ('label fg precision', 'label fg recall',
                 'label ignored (% px)', 'fg share@0.20')
# The row each group's paired differences are taken against (the default
# model or setting), and the columns they show.
PAIRED_AGAINST = {
    'fusion': 'Fuse3 mul (default)',
    'modules': 'MFF-Net1 (default)',
    'gppl': DEFAULT_GPPL,
}
PAIRED_COLUMNS = ('GT-known Loc', 'MaxBoxAccV2', 'PxAP')
# Table 2's shape: operators as rows, the number of fused maps as columns.
_FUSE = re.compile(r'^Fuse(?P<n>\d)(?: (?P<op>add|concat|mul))?')
_OPERATORS = {'add': 'Addition', 'concat': 'Concatenation',
              'mul': 'Multiplication'}


def fusion_grid(runs: Dict[str, List[Dict]], column: str) -> str:
    """``column`` of the fusion rows as Table 2's grid, mean ± std (the
    paper's number in brackets where it has one)."""
    cells = {}
    for name, stored in runs.items():
        match = _FUSE.match(name)
        if match is None or not stored:
            continue
        values = [s['metrics'][column] for s in stored
                  if column in s['metrics']]
        if not values:
            continue
        text = mean_std(values)
        if column in PAPER.get(name, {}):
            text += f' ({PAPER[name][column]:.2f})'
        ops = [match['op']] if match['op'] else list(_OPERATORS)
        for op in ops:  # Fuse1 is the same model for every operator
            cells[(_OPERATORS[op], f'Fuse{match["n"]}')] = text
    return grid_table('fusion', list(_OPERATORS.values()),
                      [f'Fuse{n}' for n in range(1, 5)], cells)


def paired_differences(rows: List[Job], stored: Dict[Tuple[str, int], Dict],
                       seeds: Sequence[int], against: Job) -> str:
    """Each row minus ``against`` seed by seed (the rows of a seed share its
    seed; the GPPL rows also their MFF-Net1), mean ± std of the
    differences: a gap is a finding when it stands out of this spread,
    which leaves out what the seeds move together.

    Args:
        rows (list[Job]): The group's rows.
        stored (dict): ``(key, seed) -> stored run``.
        seeds (Sequence[int]): The seeds to pair over.
        against (Job): The reference row.

    Returns:
        str: Caption and table, or '' when no row has a paired seed.
    """
    diffs, paired = {}, set()
    for job in rows:
        if job.key == against.key:
            continue
        runs = []
        for seed in seeds:
            a, b = stored.get((job.key, seed)), stored.get((against.key, seed))
            if a is None or b is None:
                continue
            runs.append({
                c: a['metrics'][c] - b['metrics'][c]
                for c in PAIRED_COLUMNS
                if c in a['metrics'] and c in b['metrics']
            })
            paired.add(seed)
        if runs:
            diffs[job.name] = runs
    if not diffs:
        return ''
    caption = f'Paired differences, row minus "{against.name}" seed by seed:'
    return caption + '\n\n' + mean_std_table(diffs, sorted(paired))


def tables(jobs: List[Job], stored: Dict[Tuple[str, int], Dict],
           seeds: Sequence[int]) -> str:
    """``tables.md``: per group the mean ± std table (the paper's numbers
    beside), the paired differences against the group's default row,
    Table 2 also in the paper's shape, and the wall time.

    Args:
        jobs (list[Job]): The rows to show.
        stored (dict): ``(key, seed) -> stored run`` (:class:`Results`).
        seeds (Sequence[int]): The seeds to show.

    Returns:
        str: The Markdown text.
    """
    done = list(stored.values())
    hours = sum(s['seconds'] for s in done) / 3600
    cpus = sorted({s.get('cpus') for s in done} - {None})
    lines = [
        '# Ablation tables (generated by `tools/ablation.py`; do not edit)',
        '',
        f'{len(done)} of {len({j.key for j in jobs}) * len(seeds)} runs '
        f'finished, {hours:.1f} h of wall time on {cpus} CPU(s) (the '
        "runs' own times, summed; a run that trained a shared stage-1 model "
        "counts it). The paper's numbers: ResNet-50 on CUB-200-2011.", ''
    ]
    # The paper's order, whatever order the groups ran in.
    for group in sorted(dict.fromkeys(j.group for j in jobs),
                        key=list(TITLES).index):
        rows = [j for j in jobs if j.group == group]
        runs = {
            j.name: [stored[(j.key, s)] for s in seeds if (j.key, s) in stored]
            for j in rows
        }
        lines += [f'## {TITLES[group]}', '']
        if group == 'fusion':
            for column in ('GT-known Loc', 'MaxBoxAccV2'):
                lines += [f'{column}, mean ± std (paper):', '',
                          fusion_grid(runs, column)]
        finished_runs = {n: [s['metrics'] for s in r]
                         for n, r in runs.items() if r}
        if not finished_runs:
            lines += ['(no run finished yet)', '']
            continue
        paper_rows = {n: PAPER[n] for n in finished_runs if n in PAPER}
        # The caption names the seeds that have runs here (a row with fewer
        # shows its count in `runs`).
        seeds_run = [s for s in seeds
                     if any((j.key, s) in stored for j in rows)]
        columns = COMPACT + (LABEL_COLUMNS if group == 'gppl' else ())
        compact = {
            n: [{c: r[c] for c in columns if c in r} for r in rs]
            for n, rs in finished_runs.items()
        }
        lines += [mean_std_table(compact, seeds_run, paper_rows)]
        against = [j for j in rows if j.name == PAIRED_AGAINST.get(group)]
        paired = against and paired_differences(rows, stored, seeds_run,
                                                against[0])
        lines += [paired] if paired else []
        lines += ['All columns:', '',
                  mean_std_table(finished_runs, seeds_run, paper_rows)]
    return '\n'.join(lines)


def main() -> None:
    args = parse_args()
    runner = Runner(args)
    results = Results(args.results)
    jobs = make_jobs(args)
    # tables.md shows every group of the preset, whichever ran now.
    shown = make_jobs(argparse.Namespace(
        **dict(vars(args), groups=PRESET_GROUPS[args.preset], rows=None)))
    stored: Dict[Tuple[str, int], Dict] = {}
    todo = []
    for seed in args.seeds:  # all rows of a seed first: a usable table early
        for job in jobs:
            if (job.key, seed) in stored or (job.key, seed) in [
                    (j.key, s) for j, s in todo]:
                continue
            found = results.get(job, seed)
            if found is None:
                todo.append((job, seed))
            else:
                stored[(job.key, seed)] = found
    # The tables show every stored run of every row, whatever --seeds.
    for job in shown:
        for seed in results.seeds(job.key):
            if (job.key, seed) not in stored:
                found = results.get(job, seed, strict=False)
                if found is not None:
                    stored[(job.key, seed)] = found
    seeds = sorted({seed for _, seed in stored} | set(args.seeds))
    out = osp.join(args.results, 'tables.md')
    atomic_write_text(out, tables(shown, stored, seeds))
    if args.tables_only:
        print(f'{len(stored)} runs finished, {len(todo)} not (not run: '
              f'--tables-only); written to {out}')
        return
    print(f'{len(stored)} runs finished before, {len(todo)} to run',
          flush=True)
    start = time.time()
    for done, (job, seed) in enumerate(todo, 1):
        began = time.time()
        metrics = job.run(runner, seed)
        stored[(job.key, seed)] = results.put(job, seed, metrics,
                                              time.time() - began)
        atomic_write_text(out, tables(shown, stored, seeds))
        eta = (time.time() - start) / done * (len(todo) - done)
        print(f'[{done}/{len(todo)}] seed {seed} {job.name}: ' + ', '.join(
            f'{k} {v:.2f}' for k, v in metrics.items()) +
              f'  (ETA {eta / 60:.0f} min)', flush=True)
    print('\n' + tables(shown, stored, seeds) + f'\nwritten to {out}')


if __name__ == '__main__':
    main()
