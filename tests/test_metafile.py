"""configs/spol/metafile.yml: every model's config exists, and every result
is a number of the measured tables in configs/spol/README.md."""
import os.path as osp

import yaml

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def test_metafile_models_and_results():
    with open(osp.join(ROOT, 'configs', 'spol', 'metafile.yml')) as f:
        meta = yaml.safe_load(f)
    with open(osp.join(ROOT, 'configs', 'spol', 'README.md')) as f:
        readme = f.read()
    measured = 0
    for model in meta['Models']:
        assert osp.isfile(osp.join(ROOT, model['Config'])), model['Name']
        assert osp.splitext(osp.basename(model['Config']))[0] == \
            model['Name']
        for result in model.get('Results', []):
            assert result['Task'] and result['Dataset']
            for metric, value in result['Metrics'].items():
                # the README's 3-seed table cell (mean ± std)
                assert f'{value:.2f} ±' in readme, (model['Name'], metric)
                measured += 1
    assert measured >= 20
