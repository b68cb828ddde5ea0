"""Reading spec YAML defensively: size, encoding, nesting, aliases, tags and duplicate keys.

PyYAML's safe loader (libyaml's when installed) composes the node graph; before anything is
constructed, one iterative walk over that graph refuses what would be silently lost (a key given
twice) or would cost unbounded time or memory later (alias expansion, deep nesting). Each
refusal is one `<where>: got ...; expected ...` line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import yaml

from .errors import ProblemsError, short

MAX_SPEC_BYTES = 4 * 1024 * 1024
"""Largest spec file read (4 MiB; the 1,000-integration benchmark spec is ~600 KB)."""
MAX_DEPTH = 32
"""Deepest nesting of mappings and lists (a spec needs 6)."""
MAX_NODES = 1_000_000
"""Most values once every alias is expanded (the benchmark spec has ~70,000)."""

_STANDARD_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = frozenset(
    _STANDARD_TAG + name
    for name in ("null", "bool", "int", "float", "str", "timestamp", "map", "seq", "merge")
)
_MERGE_TAG = _STANDARD_TAG + "merge"
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")

if TYPE_CHECKING:
    _SafeLoader = yaml.SafeLoader
else:
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when installed


class _Loader(_SafeLoader):
    """PyYAML's safe loader, each tag it resolves remembered for the rest of the document.

    PyYAML asks its resolver for the tag of every node, and for a plain scalar that is one or two
    regular expressions per value, though a spec repeats the same keys and values thousands of
    times. The answer depends only on (kind, value, implicit) while no path resolver is set (the
    safe loader has none), so the first answer for each is PyYAML's own, and reused.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._tags: dict[tuple[Any, Any, Any], str] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if self.yaml_path_resolvers:
            return str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]
        key = (kind, value, implicit)
        tag = self._tags.get(key)
        if tag is None:
            tag = self._tags[key] = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        return tag


class YamlProblems(ProblemsError):
    """YAML that is refused before it becomes a spec; one line per problem."""


def decode(data: bytes, source: str) -> str:
    """UTF-8 text of a spec file's bytes, refusing a BOM, NUL bytes and other encodings."""
    if len(data) > MAX_SPEC_BYTES:
        raise YamlProblems(
            [
                f"{source}: got {len(data):,} bytes; expected at most {MAX_SPEC_BYTES:,} "
                "(split the spec into several files)"
            ]
        )
    if data.startswith(_BOMS):
        raise YamlProblems(
            [f"{source}: got a byte-order mark; expected UTF-8 without BOM (save it without BOM)"]
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise YamlProblems([f"{source}: got a NUL byte on line {line}; expected a UTF-8 text file"])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise YamlProblems(
            [
                f"{source}: got bytes that are not UTF-8 on line {line} (byte {exc.start}); "
                "expected a UTF-8 text file"
            ]
        ) from None


def load(text: str, source: str) -> Any:
    """The plain data of one YAML document (YamlProblems for anything refused)."""
    if len(text) > MAX_SPEC_BYTES:
        raise YamlProblems([f"{source}: got {len(text):,} characters; expected at most {MAX_SPEC_BYTES:,}"])
    if "\x00" in text:
        raise YamlProblems([f"{source}: got a NUL character; expected a text file"])
    loader = _Loader(text)
    try:
        node = _compose(loader, source)
        if node is None:
            return None
        data = _plain_data(loader, node)
        if data is not _UNSHARED:
            return data
        problems = list(_graph_problems(node, source))
        if problems:
            raise YamlProblems(problems)
        try:
            return loader.construct_document(node)
        except yaml.MarkedYAMLError as exc:
            raise YamlProblems([_yaml_error_line(exc, source)]) from None
    finally:
        loader.dispose()


def _compose(loader: Any, source: str) -> yaml.Node | None:
    try:
        node: yaml.Node | None = loader.get_single_node()
    except RecursionError:
        raise YamlProblems(
            [f"{source}: got nesting deeper than {MAX_DEPTH} levels; expected a spec"]
        ) from None
    except yaml.MarkedYAMLError as exc:
        raise YamlProblems([_yaml_error_line(exc, source)]) from None
    except yaml.YAMLError as exc:
        raise YamlProblems([f"{source}: got invalid YAML; expected YAML ({short(str(exc), 200)})"]) from None
    return node


_UNSHARED = object()
"""_plain_data's answer when the graph needs the full walk (a refusal, an alias, a merge key)."""
_PLAIN_STR = _STANDARD_TAG + "str"


def _plain_data(loader: Any, root: yaml.Node) -> Any:
    """The data of a graph that needs no refusal, built in one walk; else _UNSHARED.

    The common spec (no alias, no merge key, no tag beyond the standard ones, no key given twice,
    at most MAX_DEPTH deep, at most MAX_NODES values) is checked and built here in one pass, with
    PyYAML's own constructors for scalars; anything else is left to _graph_problems (which names
    the refusal) and PyYAML's construct_document, so every refusal and every value stays as before.
    Scalars are placed as their parent is walked; only mappings and lists go through the stack.
    """
    walk = _PlainWalk(loader)
    holder: list[Any] = [None]
    if not walk.place(root, holder, 0, 1):
        return _UNSHARED
    while walk.stack:
        node, parent, slot, depth = walk.stack.pop()
        if not walk.claim(node, depth):
            return _UNSHARED
        fill = walk.fill_sequence if isinstance(node, yaml.SequenceNode) else walk.fill_mapping
        if not fill(node, parent, slot, depth):
            return _UNSHARED
    return holder[0] if len(walk.seen) <= MAX_NODES else _UNSHARED


class _PlainWalk:
    """The state of one _plain_data walk: the loader (its constructors), the nodes seen (an alias
    is a node seen twice) and the collections still to fill. Each method answers False for what
    _plain_data leaves to the full walk."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.seen: set[int] = set()
        self.stack: list[tuple[yaml.Node, Any, Any, int]] = []

    def claim(self, node: yaml.Node, depth: int) -> bool:
        """Mark `node` seen; False if it was (an alias), is too deep or carries another tag."""
        if id(node) in self.seen or depth > MAX_DEPTH or node.tag not in _ALLOWED_TAGS:
            return False
        self.seen.add(id(node))
        return True

    def scalar(self, node: yaml.Node) -> Any:
        """A scalar's value as PyYAML's safe constructor makes it (a plain string as it is)."""
        tag = node.tag
        return node.value if tag == _PLAIN_STR else self.loader.yaml_constructors[tag](self.loader, node)

    def place(self, node: yaml.Node, parent: Any, slot: Any, depth: int) -> bool:
        """A scalar's value into parent[slot]; a mapping or list onto the stack."""
        if not isinstance(node, yaml.ScalarNode):
            parent[slot] = None
            self.stack.append((node, parent, slot, depth))
            return True
        # claim() and scalar() written out: this runs for every scalar of the spec
        tag, seen = node.tag, self.seen
        if id(node) in seen or depth > MAX_DEPTH or tag not in _ALLOWED_TAGS:
            return False
        seen.add(id(node))
        loader = self.loader
        parent[slot] = node.value if tag == _PLAIN_STR else loader.yaml_constructors[tag](loader, node)
        return True

    def fill_sequence(self, node: yaml.Node, parent: Any, slot: Any, depth: int) -> bool:
        """Put the list in its place, its scalars filled in."""
        items: list[Any] = [None] * len(node.value)
        parent[slot] = items
        return all(self.place(child, items, index, depth + 1) for index, child in enumerate(node.value))

    def fill_mapping(self, node: yaml.Node, parent: Any, slot: Any, depth: int) -> bool:
        """Put the dict in its place, its scalar keys and values filled in."""
        mapping: dict[Any, Any] = {}
        parent[slot] = mapping
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE_TAG:
                return False
            if not self.claim(key_node, depth + 1):
                return False
            key = self.scalar(key_node)
            if key in mapping:
                return False  # a key given twice (or two spellings of one value): the full walk decides
            if not self.place(value_node, mapping, key, depth + 1):
                return False
        return True


def _yaml_error_line(exc: yaml.MarkedYAMLError, source: str) -> str:
    mark = exc.problem_mark or exc.context_mark
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    problem = exc.problem or exc.context or "invalid YAML"
    if "maximum nesting depth" in problem:
        return f"{source}: got nesting too deep{where}; expected at most {MAX_DEPTH} levels"
    return f"{source}: got invalid YAML{where}; expected YAML ({problem})"


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_STANDARD_TAG) :] if tag.startswith(_STANDARD_TAG) else tag


def _graph_problems(root: yaml.Node, source: str) -> Iterator[str]:
    """Depth, expanded size, tags and duplicate keys of a composed node graph, walked once."""
    sizes: dict[int, int] = {}
    seen: set[int] = set()
    # (node, path, depth, exiting): post-order for sizes, so each shared (aliased) node counts once
    # per use without being walked again.
    stack: list[tuple[yaml.Node, str, int, bool]] = [(root, "", 1, False)]
    while stack:
        node, path, depth, exiting = stack.pop()
        key = id(node)
        if exiting:
            children = _children(node)
            sizes[key] = 1 + sum(sizes[id(child)] for _, child in children)
            if sizes[key] > MAX_NODES:
                yield (
                    f"{path or source}: got more than {MAX_NODES:,} values once aliases are expanded; "
                    "expected a spec (are anchors and aliases nested?)"
                )
                return
            continue
        if key in seen:
            continue  # an alias of a node already walked (or being walked: recursion, refused below)
        seen.add(key)
        if depth > MAX_DEPTH:
            where = path if len(path) <= 60 else path[:57] + "..."
            yield f"{where}: got nesting deeper than {MAX_DEPTH} levels (line {_line(node)}); expected a spec"
            return
        if node.tag not in _ALLOWED_TAGS:
            yield (
                f"{path or source}: got the tag {_tag_name(node.tag)} (line {_line(node)}); "
                "expected plain YAML values without tags"
            )
            sizes[key] = 1
            continue
        if isinstance(node, yaml.MappingNode):
            yield from _duplicate_keys(node, path)
        stack.append((node, path, depth, True))
        for child_path, child in _children(node, path):
            if id(child) in seen and id(child) not in sizes:
                yield (
                    f"{child_path}: got an alias inside its own anchor (line {_line(child)}); "
                    "expected no recursive alias"
                )
                return
            stack.append((child, child_path, depth + 1, False))


def _children(node: yaml.Node, path: str = "") -> list[tuple[str, yaml.Node]]:
    if isinstance(node, yaml.MappingNode):
        out: list[tuple[str, yaml.Node]] = []
        for key, value in node.value:
            name = _key_name(key)
            child_path = f"{path}.{name}" if path else str(name)
            out.append((child_path, key))
            out.append((child_path, value))
        return out
    if isinstance(node, yaml.SequenceNode):
        return [(f"{path}[{index}]", child) for index, child in enumerate(node.value)]
    return []


def _key_name(key: yaml.Node) -> str:
    if not isinstance(key, yaml.ScalarNode):
        return "?"
    return key.value if _PLAIN_KEY.fullmatch(key.value) else short(key.value, 40)


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _duplicate_keys(node: yaml.MappingNode, path: str) -> Iterator[str]:
    first: dict[tuple[str, str], yaml.Node] = {}
    for key, _value in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == _MERGE_TAG:
            continue
        ident = (key.tag, key.value)
        if ident in first:
            where = f"{path}.{_key_name(key)}" if path else _key_name(key)
            yield (
                f"{where}: got the key twice (lines {_line(first[ident])} and {_line(key)}); expected each "
                "key once (YAML keeps only the last, silently dropping the first)"
            )
        else:
            first[ident] = key
