"""Small helpers shared by the tests."""
from mmengine.config import ConfigDict
from mmengine.registry import MODELS as ROOT_MODELS
from mmengine.registry import DefaultScope

import spol_mm  # noqa: F401  (registers the components to build)


def build_in_scope(cfg: dict, scope: str):
    """Build ``cfg`` as a config whose ``default_scope`` is ``scope`` would."""
    with DefaultScope.overwrite_default_scope(scope):
        return ROOT_MODELS.build(ConfigDict(cfg))


def table_cells(text: str):
    """The cells of each row of the Markdown pipe tables in ``text``
    (header rows included, alignment rows left out), stripped."""
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith('|'):
            continue
        cells = [c.strip() for c in line.strip('|').split('|')]
        if all(set(c) <= set(':-') and c for c in cells):
            continue  # the alignment row
        rows.append(cells)
    return rows
