"""Atomic file writes: a target is either its old or its new content.

Every writer of spol_mm (pseudo labels and their meta, the synthetic data
set, metric JSONs, converted checkpoints, tables) goes through
:func:`atomic_write_bytes`: the bytes go to a hidden temp file beside the
target, which then replaces it with one ``os.replace``. A killed process
leaves at most such a temp file, which :func:`remove_stale_temps` clears
when the folder is written again.

Only the standard library is used, so light tools can import this module.
"""
import json
import os
import os.path as osp
import re
import secrets
from typing import Any, List, Optional, Tuple

_TEMP_SUFFIX = '.tmp'
# Long enough for the name the OS allows (255 bytes) to take the dot, the
# random part and the suffix as well.
_MAX_STEM_BYTES = 200
# ``.<target name>.<8 random characters>.tmp``; mkstemp's random part
# (``[a-z0-9_]``) is accepted too, so temps of earlier versions go as well.
_TEMP_RE = re.compile(r'\.(?P<stem>.+)\.[a-z0-9_]{8}\.tmpx?', re.DOTALL)


def _temp_stem(basename: str) -> str:
    """The part of ``basename`` that a temp file's name carries."""
    stem = basename
    while len(os.fsencode(stem)) > _MAX_STEM_BYTES:
        stem = stem[:-1]
    return stem


def _temp_suffix(basename: str) -> str:
    # A target that itself ends with ``.tmp`` gets ``.tmpx`` temps, so a
    # temp never looks like a finished file of the target's type.
    return _TEMP_SUFFIX + ('x' if basename.lower().endswith(_TEMP_SUFFIX)
                           else '')


def _create_temp(folder: str, basename: str) -> Tuple[int, str]:
    """Create a new, empty temp file for ``basename`` in ``folder``.

    Args:
        folder (str): The target's folder.
        basename (str): The target's file name.

    Returns:
        tuple[int, str]: The open descriptor and the temp file's path.
    """
    flags = (os.O_WRONLY | os.O_CREAT | os.O_EXCL
             | getattr(os, 'O_NOFOLLOW', 0) | getattr(os, 'O_BINARY', 0))
    prefix = f'.{_temp_stem(basename)}.'
    suffix = _temp_suffix(basename)
    for _ in range(100):
        tmp = osp.join(folder, prefix + secrets.token_hex(4) + suffix)
        try:
            # Mode 0o666: the kernel applies the umask (and a default ACL),
            # so the file gets what a plain open() gives. mkstemp's 0600
            # would hide the result from other users.
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f'no free temp file name for {basename} in '
                          f'{folder}')


def _fsync_folder(folder: str) -> None:
    """Flush ``folder``'s entries after a rename (POSIX; best effort)."""
    if os.name != 'posix':
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, 'O_DIRECTORY', 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the data is synced
    finally:
        os.close(fd)


def _remove_quietly(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass  # already renamed or gone; nothing else to clean


def atomic_write_bytes(path: str, data: bytes, durable: bool = True) -> None:
    """Write ``data`` to ``path`` so that ``path`` is never half-written.

    The bytes go to a hidden temp file in the same folder (its name never
    ends with the target's extension, so globs for finished files skip it),
    which then replaces ``path``; on any error, KeyboardInterrupt included,
    the temp file is removed. The new file gets the mode a plain ``open()``
    gives (``0o666 & ~umask``).

    Args:
        path (str): Target file; parent folders are created.
        data (bytes): The content.
        durable (bool): ``fsync`` the file before the rename (and its folder
            after it), so that it also survives a power loss. The rename
            alone already protects from a killed process; many small files
            may skip the ``fsync`` (about 1 ms each) and be flushed once at
            the end (``os.sync``). Defaults to True.

    Raises:
        OSError: The write failed; one without a file name (e.g. a full
            disk) is raised again naming ``path``.
    """
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = _create_temp(folder, osp.basename(path))
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as e:
        _remove_quietly(tmp)
        if isinstance(e, OSError) and not e.filename:
            # e.g. a full disk: say which file could not be written.
            raise OSError(e.errno, f'cannot write {path}: {e.strerror or e}',
                          path) from e
        raise
    if durable:
        _fsync_folder(folder)


def atomic_write_text(path: str, text: str, durable: bool = True) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically.

    Args:
        path (str): Target file; parent folders are created.
        text (str): The content, written as it is (no newline added).
        durable (bool): See :func:`atomic_write_bytes`. Defaults to True.
    """
    atomic_write_bytes(path, text.encode('utf-8'), durable)


def atomic_write_json(path: str,
                      obj: Any,
                      durable: bool = True,
                      **json_kwargs: Any) -> None:
    """Write ``obj`` as JSON (UTF-8, one final newline) atomically.

    ``obj`` is serialised completely before anything is written, so an
    unserialisable value leaves ``path`` as it was.

    Args:
        path (str): Target file; parent folders are created.
        obj (Any): A JSON-serialisable value.
        durable (bool): See :func:`atomic_write_bytes`. Defaults to True.
        **json_kwargs: Passed to :func:`json.dumps`, e.g. ``indent``.
    """
    atomic_write_text(path, json.dumps(obj, **json_kwargs) + '\n', durable)


def remove_stale_temps(folder: str,
                       target_basename: Optional[str] = None,
                       recursive: bool = False) -> List[str]:
    """Remove temp files that killed writes of :func:`atomic_write_bytes`
    left in ``folder``.

    Only names of that scheme (``.<name>.<8 characters>.tmp``) are removed;
    other files, similar names included, are kept. Call it only while
    nothing else writes into ``folder``: the temp of a write in progress
    would go too and that write would fail.

    Args:
        folder (str): The folder; a missing one has nothing to remove.
        target_basename (str, optional): Only the temps of this target file
            name. Defaults to None: all of them.
        recursive (bool): Also in the sub-folders (symbolic links to
            folders are not followed). Defaults to False.

    Returns:
        list[str]: The paths of the removed files.
    """
    stem = None if target_basename is None else _temp_stem(target_basename)
    removed = []
    folders = [folder]
    while folders:
        try:
            entries = list(os.scandir(folders.pop()))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if recursive:
                    folders.append(entry.path)
                continue
            match = _TEMP_RE.fullmatch(entry.name)
            if (match is None or not entry.is_file(follow_symlinks=False)
                    or (stem is not None and match['stem'] != stem)):
                continue
            try:
                os.remove(entry.path)
            except FileNotFoundError:
                continue  # removed meanwhile
            removed.append(entry.path)
    return removed
