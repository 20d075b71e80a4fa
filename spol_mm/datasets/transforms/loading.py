"""Loading WSOL images robustly, and their ground-truth object masks."""
import atexit
import io
import logging
import os
import tempfile
from typing import List, Optional, Tuple, Union

import mmcv
import mmengine.fileio as fileio
import numpy as np
from mmcv.transforms import BaseTransform
from mmengine.logging import print_log
from PIL import Image, ImageOps, UnidentifiedImageError

from spol_mm.registry import TRANSFORMS
from spol_mm.structures import combine_masks
from spol_mm.utils.checks import check_choice


def binarize_mask(raw: np.ndarray, threshold: int = 127) -> np.ndarray:
    """Foreground of a mask image as uint8 0/1.

    A mask whose values are all 0 or 1 is taken as labels already;
    otherwise (0/255 masks, CUB's soft annotator-vote masks) foreground is
    ``value > threshold``.

    Args:
        raw (np.ndarray): ``(H, W)`` mask image.
        threshold (int): Foreground when above it. Defaults to 127 (more
            than half of 255).

    Returns:
        np.ndarray: ``(H, W)`` uint8 in {0, 1}.
    """
    if raw.size and raw.max() <= 1:
        return (raw > 0).astype(np.uint8)
    return (raw > threshold).astype(np.uint8)


@TRANSFORMS.register_module()
class LoadWSOLMask(BaseTransform):
    """Load the GT object mask (``gt_mask_path``) into ``gt_seg_map``.

    Does nothing when the image has no mask (``gt_mask_path`` None), so one
    pipeline serves data sets with and without masks. The mask then follows
    the image through mmcv's ``Resize`` / ``CenterCrop`` / ``RandomFlip`` and
    spol_mm's crops (``'gt_seg_map'`` is also added to ``seg_fields`` for
    mmseg's transforms).

    Required keys: ``gt_mask_path`` (str, list of str or None), optional
    ``gt_ignore_mask_path``, ``img`` (for the size check).
    Added keys: ``gt_seg_map`` (uint8 (H, W): 1 object, 0 background,
    ``ignore_index`` where an ignore mask says so), ``seg_fields``.

    Args:
        threshold (int): Foreground when the mask value is above it (masks
            holding only 0/1 are taken as they are). Defaults to 127.
        ignore_index (int): Value for ignored pixels. Defaults to 255.
        backend_args (dict, optional): mmengine file backend arguments.
    """

    def __init__(self,
                 threshold: int = 127,
                 ignore_index: int = 255,
                 backend_args: Optional[dict] = None) -> None:
        self.threshold = threshold
        self.ignore_index = ignore_index
        self.backend_args = backend_args

    def _read(self, path: str) -> np.ndarray:
        try:
            data = fileio.get(path, backend_args=self.backend_args)
        except FileNotFoundError:
            raise FileNotFoundError(f'GT mask not found: {path}') from None
        raw = mmcv.imfrombytes(data, flag='grayscale', backend='cv2')
        if raw is None:
            raise ValueError(f'GT mask could not be decoded: {path}')
        return binarize_mask(raw, self.threshold)

    def transform(self, results: dict) -> dict:
        """Add ``gt_seg_map`` when the image has a GT mask."""
        paths: Union[str, List[str], None] = results.get('gt_mask_path')
        if not paths:
            return results
        paths = [paths] if isinstance(paths, str) else list(paths)
        img = results.get('img')
        shape = img.shape[:2] if img is not None else None
        masks = []
        for path in paths + [results.get('gt_ignore_mask_path') or '']:
            if not path:
                continue
            mask = self._read(path)
            if shape is None:
                shape = mask.shape
            if mask.shape != tuple(shape):
                raise ValueError(
                    f'GT mask {path} is {mask.shape[1]}x{mask.shape[0]} '
                    f'(w x h) but its image is {shape[1]}x{shape[0]}')
            masks.append(mask)
        ignore = masks.pop() if results.get('gt_ignore_mask_path') else None
        results['gt_seg_map'] = combine_masks(masks, ignore, self.ignore_index)
        seg_fields = results.setdefault('seg_fields', [])
        if 'gt_seg_map' not in seg_fields:
            seg_fields.append('gt_seg_map')
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(threshold={self.threshold}, '
                f'ignore_index={self.ignore_index})')


# -- robust image loading ----------------------------------------------------
BAD_IMAGE_MODES = ('raise', 'skip')
_JPEG_SOI = b'\xff\xd8'
_PNG_SIGNATURE = b'\x89PNG\r\n\x1a\n'
# JPEG markers without a length field: TEM and the restart markers.
_STANDALONE_MARKERS = {0x01, *range(0xD0, 0xD8)}


class BadImageError(ValueError):
    """An image file that cannot be decoded, naming the file and the problem.

    Args:
        path (str): The image file.
        reason (str): What is wrong with it.
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(
            f'bad image {path}: {reason} (LoadWSOLImage with '
            "on_bad_image='skip' skips such images in training)")
        self.path = path
        self.reason = reason


def jpeg_truncation(data: bytes) -> Optional[str]:
    """Why a JPEG stream is cut short, or None when it is complete.

    The top-level segments are walked by their lengths (so a thumbnail's
    end marker inside APP1 does not count) up to the first scan; a complete
    file has an end-of-image marker after it. Inside entropy-coded data a
    0xFF byte is always followed by 0x00 or a restart marker, so the first
    ``FF D9`` after the scan starts is the real end.

    Args:
        data (bytes): The file's bytes, starting with ``FF D8``.

    Returns:
        str | None: The problem, or None. A marker structure this walk does
        not understand also gives None: the decoder then has the last word.
    """
    pos, size = 2, len(data)
    while True:
        if pos >= size:
            return 'truncated JPEG (the file ends before the image data)'
        if data[pos] != 0xFF:
            return None
        while pos < size and data[pos] == 0xFF:  # fill bytes
            pos += 1
        if pos >= size:
            return 'truncated JPEG (the file ends before the image data)'
        marker = data[pos]
        pos += 1
        if marker == 0xDA:  # start of scan
            break
        if marker in _STANDALONE_MARKERS:
            continue
        if marker == 0xD9:
            return 'JPEG without image data (end marker before any scan)'
        pos += int.from_bytes(data[pos:pos + 2], 'big')
    if data.find(b'\xff\xd9', pos) < 0:
        return 'truncated JPEG (no end-of-image marker after the image data)'
    return None


def png_truncation(data: bytes) -> Optional[str]:
    """Why a PNG stream is cut short, or None when it reaches ``IEND``.

    Args:
        data (bytes): The file's bytes, starting with the PNG signature.

    Returns:
        str | None: The problem, or None.
    """
    pos, size = len(_PNG_SIGNATURE), len(data)
    while pos + 8 <= size:
        length = int.from_bytes(data[pos:pos + 4], 'big')
        kind = data[pos + 4:pos + 8]
        pos += 12 + length  # length, type, data, CRC
        if pos > size:
            break
        if kind == b'IEND':
            return None
    return f'truncated PNG (the file ends after {size} bytes, before IEND)'


def _pil_to_bgr(img: Image.Image) -> np.ndarray:
    """Pillow image of any mode to uint8 BGR, 16-bit scaled as OpenCV does."""
    if img.mode.startswith('I'):  # 'I;16*' and 32-bit 'I' hold 16-bit data
        gray = np.asarray(img).astype(np.int64)
        gray = (np.clip(gray, 0, 65535) >> 8).astype(np.uint8)
        return np.ascontiguousarray(np.repeat(gray[..., None], 3, axis=2))
    rgb = np.asarray(img.convert('RGB'))
    return np.ascontiguousarray(rgb[..., ::-1])


def decode_bgr(data: bytes) -> np.ndarray:
    """Decode image bytes to a ``(H, W, 3)`` uint8 BGR array.

    OpenCV decodes first, exactly as mmcv's ``LoadImageFromFile`` does
    (``IMREAD_COLOR``, EXIF orientation applied), so normal images give the
    same pixels. That covers: grayscale (replicated to 3 channels), RGBA /
    LA (alpha dropped, colours kept as stored, no compositing), palette and
    1-bit images, CMYK and inverted-CMYK (Adobe) JPEGs (converted to RGB by
    libjpeg's CMYK model), and 16-bit images (``x >> 8``, i.e.
    ``floor(x / 256)``: 65535 -> 255). What OpenCV cannot read is tried with
    Pillow (EXIF orientation applied, 16/32-bit integer images scaled the same
    way). JPEG and PNG streams are first checked for truncation, which some
    OpenCV versions decode silently into a grey lower part.

    Args:
        data (bytes): The file content.

    Returns:
        np.ndarray: ``(H, W, 3)`` uint8, BGR.

    Raises:
        ValueError: With the reason, when the bytes are no decodable image.
    """
    if not data:
        raise ValueError('empty file (0 bytes)')
    if data.startswith(_JPEG_SOI):
        problem = jpeg_truncation(data)
    elif data.startswith(_PNG_SIGNATURE):
        problem = png_truncation(data)
    else:
        problem = None
    if problem is not None:
        raise ValueError(problem)
    try:
        img = mmcv.imfrombytes(data, flag='color', backend='cv2')
    except Exception:  # cv2.error on buffers OpenCV refuses outright
        img = None
    if img is not None and img.size:
        return img
    try:
        with Image.open(io.BytesIO(data)) as pil:
            return _pil_to_bgr(ImageOps.exif_transpose(pil))
    except UnidentifiedImageError:
        raise ValueError(
            'not an image, or a format neither OpenCV nor Pillow reads '
            f'(the file starts with {data[:12]!r})') from None
    except Exception as e:  # Pillow's errors on corrupt data vary
        raise ValueError(f'corrupt image data ({type(e).__name__}: {e})') \
            from None


class _SkipRecord:
    """Skipped images, appended to a temporary file by any process.

    Data-loader workers run the pipeline in other processes, so a counter in
    the transform would stay at 0 in the main process. Every process appends
    one line per skip (a single ``O_APPEND`` write, so lines do not mix);
    the file is made before the workers start and removed at exit by the
    process that made it.
    """

    def __init__(self) -> None:
        fd, self.path = tempfile.mkstemp(
            prefix='spol_bad_images_', suffix='.tsv')
        os.close(fd)
        self._owner = os.getpid()
        atexit.register(self._remove)

    def add(self, img_path: str, reason: str) -> None:
        line = img_path + '\t' + ' '.join(reason.split()) + '\n'
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        try:
            os.write(fd, line.encode('utf-8', 'backslashreplace'))
        finally:
            os.close(fd)

    def read(self) -> List[Tuple[str, str]]:
        try:
            with open(self.path, encoding='utf-8') as f:
                return [tuple(ln.rstrip('\n').split('\t', 1)) for ln in f]
        except FileNotFoundError:
            return []

    def _remove(self) -> None:
        if os.getpid() == self._owner and os.path.exists(self.path):
            os.remove(self.path)


@TRANSFORMS.register_module()
class LoadWSOLImage(BaseTransform):
    """Load an image as 3-channel uint8 BGR, whatever its kind, or report it.

    A drop-in for mmcv's ``LoadImageFromFile`` (same keys, same pixels for
    the images that one reads, see :func:`decode_bgr`) that also decodes the
    odd images of real data sets (grayscale, RGBA, CMYK JPEG, 16-bit PNG)
    and deals with files that cannot be decoded (empty, truncated, not an
    image, missing):

    - ``on_bad_image='raise'``: :class:`BadImageError` (a ``ValueError``)
      naming the file and the problem; ``FileNotFoundError`` for a missing
      file.
    - ``on_bad_image='skip'``: a warning naming the file and the problem,
      the skip is recorded (:meth:`skipped_images`, reported at the end of
      the run by :class:`~spol_mm.engine.BadImageReportHook`), and the
      transform returns None. mmengine's ``BaseDataset.__getitem__`` then
      draws another random index (``np.random.randint``) in training, up to
      ``max_refetch`` (1000) times. In ``test_mode`` it refuses None
      ("Test time pipline should not get `None` data_sample"): evaluation
      never silently drops an image; the warning before it names the file.

    Results that already hold an ``img`` array and no ``img_path`` (as
    mmpretrain's ``ImageClassificationInferencer`` passes arrays) are taken
    as they are: a 2-D array becomes 3 channels, nothing is read.

    Required keys: ``img_path`` (or ``img``).
    Added keys: ``img``, ``img_shape``, ``ori_shape``.

    Args:
        on_bad_image (str): ``'raise'`` or ``'skip'``. Defaults to
            ``'raise'``.
        to_float32 (bool): Return a float32 image. Defaults to False.
        backend_args (dict, optional): mmengine file backend arguments.
    """

    def __init__(self,
                 on_bad_image: str = 'raise',
                 to_float32: bool = False,
                 backend_args: Optional[dict] = None) -> None:
        check_choice('on_bad_image', on_bad_image, BAD_IMAGE_MODES)
        self.on_bad_image = on_bad_image
        self.to_float32 = to_float32
        self.backend_args = backend_args
        self._record = _SkipRecord() if on_bad_image == 'skip' else None

    def _load(self, path: str) -> np.ndarray:
        try:
            data = fileio.get(path, backend_args=self.backend_args)
        except FileNotFoundError:
            if self.on_bad_image == 'raise':
                raise FileNotFoundError(f'image not found: {path}') from None
            raise ValueError('file not found') from None
        except OSError as e:
            raise ValueError(f'cannot be read ({e.strerror or e})') from None
        return decode_bgr(data)

    def transform(self, results: dict) -> Optional[dict]:
        """Add the decoded image, or skip / report a bad one."""
        if results.get('img') is not None and results.get('img_path') is None:
            # An array given directly (mmpretrain's inferencer passes images
            # this way): nothing to read, only the keys the file would give.
            return self._pack(results, self._as_image(results['img']))
        path = results['img_path']
        try:
            img = self._load(path)
        except ValueError as e:
            if self._record is None:
                raise BadImageError(path, str(e)) from None
            self._record.add(path, str(e))
            print_log(
                f"LoadWSOLImage: skipped {path}: {e} (on_bad_image='skip')",
                logger='current', level=logging.WARNING)
            return None
        return self._pack(results, img)

    @staticmethod
    def _as_image(img) -> np.ndarray:
        """A given array as the ``(H, W, C)`` image a file would give."""
        if not isinstance(img, np.ndarray) or img.ndim not in (2, 3):
            raise TypeError('LoadWSOLImage: results["img"] must be an (H, W) '
                            f'or (H, W, C) array, got {type(img).__name__}'
                            f'{getattr(img, "shape", "")}')
        return np.repeat(img[..., None], 3, axis=2) if img.ndim == 2 else img

    def _pack(self, results: dict, img: np.ndarray) -> dict:
        if self.to_float32:
            img = img.astype(np.float32)
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        results['ori_shape'] = img.shape[:2]
        return results

    def skipped_images(self) -> List[Tuple[str, str]]:
        """``(path, reason)`` of every skip so far, from all processes."""
        return self._record.read() if self._record is not None else []

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(on_bad_image={self.on_bad_image!r}, '
                f'to_float32={self.to_float32}, '
                f'backend_args={self.backend_args})')
