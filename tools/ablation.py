"""The shape of SPOL's Tables 2-4 on the generated benchmark, over seeds.

Rows (``--groups``):

- ``fusion`` (Table 2): Fuse1..Fuse4 with multiplication, Fuse3 with
  addition and concatenation; MFF-Net1's CAM.
- ``modules`` (Table 3): MFF-Net1 without MCA, without the aux loss.
- ``gppl`` (Table 4, the paper's 0.7 step, the released variant and the
  background threshold): pseudo labels of the default MFF-Net1 with each
  setting; each row's labels are scored against the GT masks and MFF-Net2
  is trained on them (SPOL's box).
- ``stage2`` (``--preset lite0``): MFF-Net2 on the config's own labels,
  its loss normalised as Eq. 7 or over the labelled pixels.

``--preset lite0`` (default) runs ``make demo``'s pretrained Lite0 configs on
the CUB-like benchmark and chooses SPOL's box threshold on ``val`` (columns
``val GT-known Loc`` and ``threshold (val)``; ``GT-known Loc`` is test's at
that threshold, ``GT-known Loc@0.2`` test's at the paper's 0.2, and
``fg share@0.20`` the share of the test pixels MFF-Net2 calls foreground
at 0.2, beside their ``object share``); ``--preset r18`` the from-scratch
ResNet-18 on the part-only stress test, as before.

Every row runs for each ``--seeds`` (stage 1 and stage 2 reseeded) through
``tools/train.py`` / ``tools/test.py`` / ``tools/generate_pseudo_labels.py``,
and the table gives mean +- std over the seeds. Finished runs are kept and
skipped (their metrics JSON is the marker), so an interrupted ablation
resumes. Logs go to ``<work-dir>/<run>/*.log``.

Examples (the README's tables)::

    python tools/ablation.py --groups gppl stage2 --seeds 0
    python tools/ablation.py --preset r18 --groups gppl --seeds 0 1 2
"""
import argparse
import json
import os
import os.path as osp
import shlex
import subprocess
import sys
import time
from typing import Dict, List, Sequence

import cv2
import numpy as np

from spol_mm.benchmarks.tables import mean_std_table, pick, pick_on_val, slug
from spol_mm.pseudo_label.quality import GPPL_SETTINGS
from spol_mm.utils.fileio import atomic_write_json, atomic_write_text

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))

# The stage-1 rows are configs (configs/spol/<name>.py): the ablation
# changes live there, once; this table only names them.
STAGE1_ROWS = {
    'fusion': {
        'Fuse1 (deepest stage only)': 'mffnet1_r18-fuse1_16e_synthetic',
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
}
# name -> GPPL settings (on the default MFF-Net1 of the same seed). Each row
# names every setting it depends on, so a later change of the defaults
# cannot make it mean something else. 'binarize' is left out: with the
# default fg_thr 0.5 <= 0.7 it gives the labels of 'off' by construction.
GPPL_ROWS_R18 = {
    "0.7 step 'moments'": dict(fg_reading='moments'),
    "0.7 step 'off'": dict(fg_reading='off'),
    "no threshold ('moments')": dict(fg_reading='moments',
                                     use_threshold=False),
    "no threshold ('off')": dict(fg_reading='off', use_threshold=False),
    'no Gaussian': dict(use_gaussian=False),
}
# The Lite0 rows are the label quality tool's named settings
# (spol_mm.pseudo_label.GPPL_SETTINGS), without 'binarize' (see above).
GPPL_ROWS_LITE0 = {
    name: gppl
    for name, gppl in GPPL_SETTINGS.items() if 'binarize' not in name
}
# Stage-2 training variants (group `stage2`, Lite0): MFF-Net2 on the labels
# of the config's own GPPL setting, its loss normalised as Eq. 7 (all
# pixels) or over the labelled pixels only.
STAGE2_ROWS = {
    'Eq. 7: sum / all pixels': ['model.decode_head.normalize=image'],
    'sum / labelled pixels': ['model.decode_head.normalize=labelled'],
}
# What each preset trains and evaluates: `lite0` is `make demo`'s
# pretrained EfficientNet-Lite0 on the CUB-like benchmark, `r18` the
# from-scratch ResNet-18 on the part-only stress test (the fusion and
# modules rows exist for it only, so far).
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
        # the CAM baseline's network, which the ablation does not train).
        classifier='configs/spol/mffnet1_lite0_8e_synthetic.py',
        gppl=GPPL_ROWS_LITE0,
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
        gppl=GPPL_ROWS_R18,
        schedule=lambda epochs: []),
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--preset', default='lite0', choices=sorted(PRESETS),
                        help='models and data (see PRESETS)')
    parser.add_argument('--groups', nargs='+', default=['gppl'],
                        choices=['fusion', 'modules', 'gppl', 'stage2'])
    parser.add_argument('--rows', nargs='+',
                        help='only the rows whose name contains one of these')
    parser.add_argument('--seeds', nargs='+', type=int, default=[0, 1, 2])
    parser.add_argument('--data', help="default: the preset's")
    parser.add_argument('--work-dir',
                        help='default: work_dirs/ablation_<preset>')
    parser.add_argument('--epochs1', type=int, help="default: the preset's")
    parser.add_argument('--epochs2', type=int, help="default: the preset's")
    parser.add_argument('--workers', type=int, default=2)
    parser.add_argument('--python', default=sys.executable)
    args = parser.parse_args()
    preset = PRESETS[args.preset]
    for key in ('data', 'epochs1', 'epochs2'):
        if getattr(args, key) is None:
            setattr(args, key, preset[key])
    args.work_dir = args.work_dir or f'work_dirs/ablation_{args.preset}'
    if args.preset != 'r18' and {'fusion', 'modules'} & set(args.groups):
        parser.error('the fusion and modules rows exist for --preset r18 only')
    if args.preset != 'lite0' and 'stage2' in args.groups:
        parser.error('the stage2 rows exist for --preset lite0 only')
    return args


class Runner:
    """Runs the tools as subprocesses, each result once (resumable)."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
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
              options: Sequence[str]) -> str:
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
                *PRESETS[self.args.preset]['schedule'](epochs), *options
            ], osp.join(work, 'train.log'))
        return ckpt

    def test(self, config: str, out: str, options: Sequence[str]) -> Dict:
        return self.test_many([(config, out, options)])[0]

    def evaluate_both(self, config: str, work: str,
                      options: Sequence[str]) -> Dict:
        """Paper metrics (crop) and protocol metrics (whole image)."""
        paper = self.test(config, osp.join(work, 'paper.json'), options)
        protocol = self.test(f'{config}_protocol',
                             osp.join(work, 'protocol.json'), options)
        return metrics_of(paper, protocol)

    def test_many(self, jobs: Sequence[tuple]) -> List[Dict]:
        """``(config, out, options)`` evaluations in ONE process
        (``tools/analysis_tools/test_many.py``: the start-up paid once;
        existing results are skipped); their metrics."""
        lines = []
        for config, out, options in jobs:
            lines.append(' '.join(shlex.quote(a) for a in [
                f'configs/spol/{config}.py', '--work-dir',
                osp.splitext(out)[0], '--out', out, '--cfg-options',
                f'test_dataloader.dataset.data_root={self.args.data}',
                *self.loader['test'], *options
            ]))
        todo = [out for _, out, _ in jobs if not osp.exists(out)]
        if todo:
            listing = osp.join(osp.dirname(jobs[0][1]), 'test_jobs.txt')
            atomic_write_text(listing, '\n'.join(lines) + '\n')
            self.call([
                self.args.python, 'tools/analysis_tools/test_many.py',
                listing
            ], osp.splitext(listing)[0] + '.log')
        results = []
        for _, out, _ in jobs:
            with open(out) as f:
                results.append(json.load(f))
        return results

    def evaluate_on_val(self, config: str, work: str,
                        options: Sequence[str]) -> Dict:
        """The paper's frame on val and test, the box threshold chosen on
        val; the protocol's frame on val (its MaxBoxAccV2 / PxAP tell rows
        apart where val's GT-known Loc ties) and test."""
        on_val = [*options, 'test_dataloader.dataset.split=val']
        val, paper, protocol, val_protocol = self.test_many([
            (config, osp.join(work, 'val.json'), on_val),
            (config, osp.join(work, 'paper.json'), options),
            (f'{config}_protocol', osp.join(work, 'protocol.json'), options),
            (f'{config}_protocol', osp.join(work, 'val_protocol.json'),
             on_val),
        ])
        threshold, picked = pick_on_val(val, paper)
        _, best_val = pick_on_val(val, val)
        out = {
            'val GT-known Loc': pick(best_val, 'GT-known Loc'),
            'val MaxBoxAccV2': pick(val_protocol, 'MaxBoxAccV2'),
            'val PxAP': pick(val_protocol, 'PxAP'),
            'threshold (val)': threshold,
            'GT-known Loc': pick(picked, 'GT-known Loc'),
            'GT-known Loc@0.2': pick(paper, 'GT-known Loc'),
            'Top-1 Loc': pick(picked, 'Top-1 Loc'),
        }
        for column in ('MaxBoxAccV2', 'PxAP', 'fg share@0.20',
                       'object share'):
            out[column] = pick(protocol, column)
        return {k: v for k, v in out.items() if v is not None}

    def labels(self, stage1: str, options: Sequence[str],
               gppl: Dict[str, object], out: str) -> str:
        """The labels of ``gppl`` (the config's own setting, changed by it)
        from ``stage1``: ``tools/generate_pseudo_labels.py`` resumes a
        folder made with the same settings and refuses any other."""
        # The config's GPPLHook entry holds the settings.
        hook = [f'custom_hooks.0.gppl_cfg.{k}={v}' for k, v in gppl.items()]
        self.call([
            self.args.python, 'tools/generate_pseudo_labels.py',
            f'configs/spol/{PRESETS[self.args.preset]["stage1"]}.py', stage1,
            '--out', out, '--cfg-options',
            f'train_dataloader.dataset.data_root={self.args.data}',
            'train_dataloader.num_workers=0',
            'train_dataloader.persistent_workers=False', *options, *hook
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


def metrics_of(paper: Dict, protocol: Dict) -> Dict[str, float]:
    """The table's columns from the two test JSONs."""

    out = {
        'GT-known Loc': pick(paper, 'GT-known Loc'),
        'Top-1 Loc': pick(paper, 'Top-1 Loc'),
        'MaxBoxAccV2': pick(protocol, 'MaxBoxAccV2'),
        'cls top-1': pick(paper, 'top1'),
    }
    return {k: v for k, v in out.items() if v is not None}


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


def stage1_dir(work_dir: str, config: str, options: Sequence[str],
               seed: int) -> str:
    """One folder per stage-1 model and seed, shared by the rows."""
    return osp.join(work_dir, 'stage1', slug(' '.join([config, *options])),
                    f'seed{seed}')


def run_stage1(runner: Runner, name: str, config: str,
               options: Sequence[str], seed: int) -> Dict[str, float]:
    args = runner.args
    work = stage1_dir(args.work_dir, config, options, seed)
    ckpt = runner.train(config, work, args.epochs1, seed, options)
    return runner.evaluate_both(config, work, [f'load_from={ckpt}', *options])


def run_gppl(runner: Runner, name: str, gppl: Dict[str, object],
             stage2_options: Sequence[str], seed: int) -> Dict[str, float]:
    """Labels of ``gppl`` from the preset's MFF-Net1, scored; MFF-Net2 on
    them (with ``stage2_options``); SPOL's box evaluated."""
    args = runner.args
    preset = PRESETS[args.preset]
    config = preset['stage1']
    stage1 = runner.train(config, stage1_dir(args.work_dir, config, [], seed),
                          args.epochs1, seed, [])
    work = osp.join(args.work_dir, 'gppl', slug(name), f'seed{seed}')
    labels = runner.labels(stage1, [], gppl, osp.join(work, 'pseudo_labels'))
    metrics = score_labels(labels, args.data)
    stage2 = runner.train(
        preset['stage2'], osp.join(work, 'mffnet2'), args.epochs2, seed,
        [f'train_dataloader.dataset.seg_map_root={labels}', *stage2_options])
    spol = [
        f'model.segmentor_checkpoint={stage2}',
        f'model.classifier_checkpoint={stage1}'
    ]
    if preset['classifier']:
        spol.append(f'model.classifier={preset["classifier"]}')
    if args.preset == 'r18':  # its table as it was: test only, fixed 0.2
        metrics.update(runner.evaluate_both(preset['spol'], work, spol))
    else:
        metrics.update(runner.evaluate_on_val(preset['spol'], work, spol))
    return metrics


def main() -> None:
    args = parse_args()
    runner = Runner(args)
    jobs = []
    for group in args.groups:
        if group == 'gppl':
            jobs += [(name, run_gppl, (gppl, []))
                     for name, gppl in PRESETS[args.preset]['gppl'].items()]
        elif group == 'stage2':
            jobs += [(name, run_gppl, ({}, options))
                     for name, options in STAGE2_ROWS.items()]
        else:
            jobs += [(name, run_stage1, (config, []))
                     for name, config in STAGE1_ROWS[group].items()]
    if args.rows:
        jobs = [j for j in jobs if any(r in j[0] for r in args.rows)]
    total = len(jobs) * len(args.seeds)
    results: Dict[str, List[Dict[str, float]]] = {}
    start, done = time.time(), 0
    for seed in args.seeds:  # all rows of a seed first: a usable table early
        for name, fn, spec in jobs:
            metrics = fn(runner, name, *spec, seed)
            results.setdefault(name, []).append(metrics)
            done += 1
            eta = (time.time() - start) / done * (total - done)
            print(f'[{done}/{total}] seed {seed} {name}: ' + ', '.join(
                f'{k} {v:.2f}' for k, v in metrics.items()) +
                  f'  (ETA {eta / 60:.0f} min)', flush=True)
    table = mean_std_table(results, args.seeds)
    out = osp.join(args.work_dir, 'ablation.md')
    atomic_write_text(out, table)
    atomic_write_json(
        osp.join(args.work_dir, 'ablation.json'),
        dict(args=vars(args), results=results),
        indent=1)
    print('\n' + table + f'\nwritten to {out}')


if __name__ == '__main__':
    main()
