"""Reading annotation text files and reporting what is wrong with them.

Every WSOL dataset checks its annotation files up front. A problem is
recorded with the file and line it was found at; once a file set has been
read, :meth:`AnnotationProblems.raise_if_any` raises ONE error that names, per
kind of problem, the first offending ``<file> line <n>`` and how many more
lines have the same problem. A user fixes a whole class of mistakes at once
instead of meeting them one traceback at a time.
"""
import os.path as osp
from collections import Counter
from typing import Callable, Dict, Iterator, List, Optional, Tuple, Type


class WSOLAnnotationError(ValueError):
    """Raised when annotation files are inconsistent or malformed."""


class AnnotationProblems:
    """Collects annotation problems; raises one error summarising them.

    Problems are grouped by ``(file, kind)``: only the first occurrence of a
    group is quoted, the rest are counted.
    """

    def __init__(self) -> None:
        self._first: Dict[Tuple[str, str], Tuple[Optional[int], str]] = {}
        self._count: Counter = Counter()

    def add(self, kind: str, path: str, line: Optional[int],
            message: str) -> None:
        """Record one problem.

        Args:
            kind (str): Short name of the kind of problem, e.g.
                ``'malformed'``; it groups problems, it is not printed.
            path (str): The file the problem was found in.
            line (int, optional): 1-based line number, None for the file as
                a whole.
            message (str): What is wrong, e.g. ``'x1 <= x0 for id 42'``.
        """
        key = (path, kind)
        self._count[key] += 1
        self._first.setdefault(key, (line, message))

    def __len__(self) -> int:
        return sum(self._count.values())

    def messages(self) -> List[str]:
        """One line per kind: ``<file> line <n>: <message> (+ count)``."""
        lines = []
        for (path, kind), (line, message) in self._first.items():
            where = path if line is None else f'{path} line {line}'
            more = self._count[(path, kind)] - 1
            extra = f' (and {more} more like it)' if more else ''
            lines.append(f'{where}: {message}{extra}')
        return lines

    def raise_if_any(
            self,
            error: Type[WSOLAnnotationError] = WSOLAnnotationError) -> None:
        """Raise ``error`` if any problem was recorded.

        Args:
            error (type): The exception class, :class:`WSOLAnnotationError`
                or a subclass. Defaults to :class:`WSOLAnnotationError`.
        """
        if self._first:
            raise error('\n'.join(self.messages()))


def require_file(path: str, what: str) -> str:
    """Return ``path`` if it is an existing file, else raise.

    Args:
        path (str): The file.
        what (str): What the file is, for the message.

    Returns:
        str: ``path``.
    """
    return _require(path, what, osp.isfile)


def require_dir(path: str, what: str) -> str:
    """Return ``path`` if it is an existing directory, else raise.

    Args:
        path (str): The directory.
        what (str): What the directory is, for the message.

    Returns:
        str: ``path``.
    """
    return _require(path, what, osp.isdir)


def _require(path: str, what: str, exists) -> str:
    if not exists(path):
        raise FileNotFoundError(f'{what} not found: {path}')
    return path


def iter_fields(path: str,
                num_fields: int,
                problems: AnnotationProblems,
                sep: Optional[str] = None,
                layout: str = '',
                allow_more: bool = False) -> Iterator[Tuple[int, List[str]]]:
    """Yield ``(line number, fields)`` of the well-formed lines of a file.

    Blank lines are skipped. A line with the wrong number of fields is
    recorded as ``malformed`` and not yielded.

    Args:
        path (str): The text file (must exist).
        num_fields (int): Fields per line.
        sep (str, optional): Field separator; None splits on whitespace.
            With ``sep=None`` the last field keeps any inner spaces.
        layout (str): The expected line layout, for the message, e.g.
            ``'<id> <x> <y> <width> <height>'``.
        allow_more (bool): Whether extra trailing fields are allowed (they
            are kept).

    Yields:
        tuple[int, list[str]]: 1-based line number and stripped fields.
    """
    with open(path, encoding='utf-8') as f:
        try:
            for lineno, raw in enumerate(f, start=1):
                text = raw.strip()
                if not text:
                    continue
                if sep is None:
                    fields = text.split(None, num_fields - 1) \
                        if not allow_more else text.split()
                else:
                    fields = [p.strip() for p in text.split(sep)]
                ok = len(fields) >= num_fields if allow_more \
                    else len(fields) == num_fields
                if not ok:
                    problems.add(
                        'malformed', path, lineno,
                        f'malformed line {text!r}, expected {layout}')
                    continue
                yield lineno, fields
        except UnicodeDecodeError as err:
            # Reported like any other problem (the file is named).
            problems.add('encoding', path, None, f'not UTF-8 text ({err})')


def read_keyed_table(path: str,
                     num_fields: int,
                     problems: AnnotationProblems,
                     parse: Callable[[List[str]], object],
                     sep: Optional[str] = None,
                     layout: str = '',
                     key_name: str = 'id') -> Dict[str, Tuple[int, object]]:
    """Read ``<key> <fields...>`` lines into ``{key: (line, value)}``.

    Args:
        path (str): The text file (must exist).
        num_fields (int): Fields per line, the key included.
        problems (AnnotationProblems): Where problems are recorded.
        parse (Callable): Turns the fields after the key into the value;
            raises ``ValueError`` with a message for a malformed value.
        sep (str, optional): Field separator; None splits on whitespace.
        layout (str): The expected line layout, for messages.
        key_name (str): What the key is called in messages.

    Returns:
        dict: ``{key: (line number, parsed value)}``; malformed lines and
        repeated keys are recorded and left out (the first one is kept).
    """
    table: Dict[str, Tuple[int, object]] = {}
    for lineno, fields in iter_fields(path, num_fields, problems, sep, layout):
        key = fields[0]
        try:
            value = parse(fields[1:])
        except ValueError as err:
            problems.add('malformed', path, lineno,
                         f'{err} for {key_name} {key}, expected {layout}')
            continue
        if key in table:
            problems.add(
                'duplicate', path, lineno,
                f'duplicate {key_name} {key} (first at line {table[key][0]})')
            continue
        table[key] = (lineno, value)
    return table


def check_same_keys(reference: Dict[str, Tuple[int, object]],
                    reference_path: str,
                    other: Dict[str, Tuple[int, object]],
                    other_path: str,
                    problems: AnnotationProblems,
                    key_name: str = 'id',
                    allow_extra: bool = False) -> None:
    """Record keys present in one table and missing from the other.

    Args:
        reference (dict): The table that lists the images.
        reference_path (str): Its file.
        other (dict): A table that must cover the same keys.
        other_path (str): Its file.
        problems (AnnotationProblems): Where problems are recorded.
        key_name (str): What the key is called in messages.
        allow_extra (bool): Whether ``other`` may hold keys that
            ``reference`` lacks (e.g. when ``reference`` is a subset list).
    """
    other_name = osp.basename(other_path)
    for key, (lineno, _) in reference.items():
        if key not in other:
            problems.add(f'missing in {other_path}', reference_path, lineno,
                         f'{key_name} {key} has no entry in {other_name}')
    if allow_extra:
        return
    reference_name = osp.basename(reference_path)
    for key, (lineno, _) in other.items():
        if key not in reference:
            problems.add(
                f'not in {reference_path}', other_path, lineno,
                f'{key_name} {key} is not listed in {reference_name}')


def parse_int(text: str, what: str) -> int:
    """``int(text)`` with a message naming ``what``."""
    try:
        return int(text)
    except ValueError:
        raise ValueError(f'{what} {text!r} is not an integer') from None


def parse_float(text: str, what: str) -> float:
    """``float(text)`` (finite) with a message naming ``what``."""
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f'{what} {text!r} is not a number') from None
    if value != value or value in (float('inf'), float('-inf')):
        raise ValueError(f'{what} {text!r} is not a finite number')
    return value
