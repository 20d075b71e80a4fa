"""configs/spol/metafile.yml: every model's config exists, and every result
is the cell of its row and column in the measured 3-seed table of
configs/spol/README.md."""
import os.path as osp

import yaml

from tests.helpers import table_cells

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
# metafile model -> the README table's row; metric -> its column
ROWS = {
    'trivial_box_synthetic': 'trivial box',
    'cam_lite0_8e_synthetic': 'CAM baseline',
    'mffnet1_lite0_8e_synthetic': 'MFF-Net1 CAM',
    'spol_lite0_synthetic': 'SPOL',
    'spol_lite0-gt-masks_synthetic': 'upper bound (GT masks)',
}
COLUMNS = {'Top 1 Accuracy': 'cls top-1'}


def _three_seed_table(readme):
    """The first table whose CAM baseline row has a spread."""
    for block in readme.split('\n\n'):
        rows = table_cells(block)
        if any(r[0] == 'CAM baseline' and '±' in r[2] for r in rows[1:]):
            return rows
    raise AssertionError('no 3-seed table in configs/spol/README.md')


def test_metafile_models_and_results():
    with open(osp.join(ROOT, 'configs', 'spol', 'metafile.yml')) as f:
        meta = yaml.safe_load(f)
    with open(osp.join(ROOT, 'configs', 'spol', 'README.md')) as f:
        table = _three_seed_table(f.read())
    header, cells = table[0], {r[0]: r for r in table[1:]}
    measured = 0
    for model in meta['Models']:
        assert osp.isfile(osp.join(ROOT, model['Config'])), model['Name']
        assert osp.splitext(osp.basename(model['Config']))[0] == \
            model['Name']
        for result in model.get('Results', []):
            assert result['Task'] and result['Dataset']
            row = cells[ROWS[model['Name']]]
            for metric, value in result['Metrics'].items():
                cell = row[header.index(COLUMNS.get(metric, metric))]
                assert cell.startswith(f'{value:.2f} ±'), (model['Name'],
                                                           metric, cell)
                measured += 1
    assert measured >= 20
