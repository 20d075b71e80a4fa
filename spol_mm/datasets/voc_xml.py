"""Pascal-VOC style box XML (ImageNet's per-image box files), with lines.

``xml.etree`` forgets where an element was; errors here must name the line,
so this small reader keeps the start line of every element.
"""
from dataclasses import dataclass, field
from typing import List, Optional, Tuple
from xml.parsers import expat

from .annotation_problems import parse_float


class VOCXMLError(ValueError):
    """A malformed box XML; ``line`` is where the problem is (or None)."""

    def __init__(self, message: str, line: Optional[int] = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class _Element:
    tag: str
    line: int
    text: str = ''
    children: List['_Element'] = field(default_factory=list)

    def find(self, tag: str) -> Optional['_Element']:
        return next((c for c in self.children if c.tag == tag), None)

    def findall(self, tag: str) -> List['_Element']:
        return [c for c in self.children if c.tag == tag]


@dataclass
class VOCObject:
    """One ``<object>``: class name, box, lines of ``<bndbox>``/``<name>``.
    """
    name: str
    box: Tuple[float, float, float, float]
    line: int
    name_line: int


@dataclass
class VOCAnnotation:
    """A parsed file: image ``(h, w)`` if stated, and its objects."""
    shape: Optional[Tuple[int, int]]
    objects: List[VOCObject]


def _parse_tree(data: bytes) -> _Element:
    parser = expat.ParserCreate()
    stack: List[_Element] = []
    roots: List[_Element] = []

    def start(tag, _attrs):
        element = _Element(tag, parser.CurrentLineNumber)
        (stack[-1].children if stack else roots).append(element)
        stack.append(element)

    def end(_tag):
        stack.pop()

    def text(chars):
        if stack:
            stack[-1].text += chars

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(data, True)
    except expat.ExpatError as err:
        why = expat.ErrorString(err.code)
        raise VOCXMLError(f'not well-formed XML ({why})', err.lineno) from None
    return roots[0]


def _number(parent: _Element, tag: str, cast):
    child = parent.find(tag)
    if child is None:
        raise VOCXMLError(f'<{parent.tag}> has no <{tag}>', parent.line)
    try:
        return cast(child.text.strip())
    except ValueError:
        raise VOCXMLError(
            f'<{tag}> {child.text.strip()!r} is not a finite number',
            child.line) from None


def parse_voc_xml(path: str) -> VOCAnnotation:
    """Read one box XML file.

    Args:
        path (str): ``<annotation><size><width/><height/></size>
            <object><name/><bndbox><xmin/><ymin/><xmax/><ymax/></bndbox>
            </object>...</annotation>``; ``<size>`` is optional.

    Returns:
        VOCAnnotation: The size (None if absent) and the objects; box values
        are kept as written.

    Raises:
        VOCXMLError: For a malformed file, with the line of the problem.
    """
    with open(path, 'rb') as f:
        root = _parse_tree(f.read())
    if root.tag != 'annotation':
        raise VOCXMLError(f'root element is <{root.tag}>, not <annotation>',
                          root.line)
    shape = None
    size = root.find('size')
    if size is not None:
        width = _number(size, 'width', int)
        height = _number(size, 'height', int)
        if width <= 0 or height <= 0:
            raise VOCXMLError(f'image size {width}x{height} is not positive',
                              size.line)
        shape = (height, width)
    objects = []
    for obj in root.findall('object'):
        name_el = obj.find('name')
        if name_el is None or not name_el.text.strip():
            raise VOCXMLError('<object> has no <name>', obj.line)
        bndbox = obj.find('bndbox')
        if bndbox is None:
            raise VOCXMLError('<object> has no <bndbox>', obj.line)
        box = tuple(
            _number(bndbox, tag, lambda t: parse_float(t, tag))
            for tag in ('xmin', 'ymin', 'xmax', 'ymax'))
        objects.append(
            VOCObject(name_el.text.strip(), box, bndbox.line, name_el.line))
    return VOCAnnotation(shape, objects)
