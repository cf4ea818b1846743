"""Host path patterns the dependency scan does not read itself, turned into what it reads.

``farmhand.core.deps`` understands frame placeholders (``####``, ``$F4``). Hosts write two
more kinds of pattern into texture paths:

- UV tiles (``<UDIM>``/``<udim>``: 1001, 1002...; ``<UVTILE>``: ``u1_v1``; ``<u>``/``<v>``:
  ZBrush's 0-based ``u0_v0``; ``<U>``/``<V>``: Mudbox's 1-based ``u1_v1``). Tiles do not
  change with the frame, so they are expanded here into the tile files on disk (or the tiles
  the host lists), each a plain reference;
- Maya's ``<f>`` frame token (``<frame>`` too), which is the frame number padded as the file
  name the host last resolved shows it, turned into ``#`` placeholders.
"""

import os
import re
from typing import Dict, Iterable, List, Optional, Pattern, Set, Tuple

_DIGITS = r"\d+"
# token -> its pieces: literal text, or (group name, regex) for a number in it
_TILE_TOKENS = {
    "<UDIM>": (("udim", r"1\d{3}"),),
    "<udim>": (("udim", r"1\d{3}"),),
    "<UVTILE>": ("u", ("u1", _DIGITS), "_v", ("v1", _DIGITS)),
    "<u>": (("u0", _DIGITS),),
    "<v>": (("v0", _DIGITS),),
    "<U>": (("u1", _DIGITS),),
    "<V>": (("v1", _DIGITS),),
}
_TILE_PATTERN = re.compile("|".join(re.escape(token) for token in _TILE_TOKENS))
# token -> its resolved value as (literal, digits, fixed width) atoms, for ``_loose``: a UDIM
# is four digits, the other numbers one digit or more.
_UDIM_ATOM = ("", 4, True)
_NUMBER_ATOM = ("", 1, False)
_TILE_ATOMS = {
    token: [
        (piece, 0, True) if isinstance(piece, str) else
        (_UDIM_ATOM if piece[0] == "udim" else _NUMBER_ATOM)
        for piece in pieces
    ]
    for token, pieces in _TILE_TOKENS.items()
}
_DIGIT_RUNS = re.compile(r"([0-9]+)")
_FRAME_TOKEN = re.compile(r"<(?:f|frame)>", re.IGNORECASE)


def has_tiles(path: str) -> bool:
    return _TILE_PATTERN.search(path) is not None


def tile_path(path: str, udim: int) -> str:
    """``path`` with its tile tokens replaced for tile ``udim`` (1001 is u1_v1, or u0_v0)."""
    u = (udim - 1001) % 10
    v = (udim - 1001) // 10
    values = {
        "<UDIM>": str(udim),
        "<udim>": str(udim),
        "<UVTILE>": "u{}_v{}".format(u + 1, v + 1),
        "<u>": str(u),
        "<v>": str(v),
        "<U>": str(u + 1),
        "<V>": str(v + 1),
    }
    return _TILE_PATTERN.sub(lambda match: values[match.group(0)], path)


_FRAME_PLACEHOLDER = re.compile(r"#+|<(?:f|frame)>|\$F\d?", re.IGNORECASE)


def _literal(text: str) -> str:
    """``text`` as a regex, its frame placeholders matching any frame (tiles may be
    animated: ``skin.<UDIM>.####.exr``)."""
    pieces = []
    position = 0
    for match in _FRAME_PLACEHOLDER.finditer(text):
        pieces.append(re.escape(text[position : match.start()]))
        pieces.append(r"-?\d+")
        position = match.end()
    pieces.append(re.escape(text[position:]))
    return "".join(pieces)


def _tile_regex(name: str) -> "Pattern[str]":
    """Matches the file names of ``name``'s tiles; a token used twice must repeat its value."""
    pieces: List[str] = []
    seen: Set[str] = set()
    position = 0
    for match in _TILE_PATTERN.finditer(name):
        pieces.append(_literal(name[position : match.start()]))
        for piece in _TILE_TOKENS[match.group(0)]:
            if isinstance(piece, str):
                pieces.append(re.escape(piece))
            elif piece[0] in seen:
                pieces.append("(?P={})".format(piece[0]))
            else:
                pieces.append("(?P<{}>{})".format(piece[0], piece[1]))
                seen.add(piece[0])
        position = match.end()
    pieces.append(_literal(name[position:]))
    return re.compile("".join(pieces))


def _udim_of(groups: Dict[str, Optional[str]]) -> Optional[int]:
    """The UDIM number of a matched file name, or None for a tile outside 1001-1999."""
    numbers = {key: int(value) for key, value in groups.items() if value}
    if "udim" in numbers:
        return numbers["udim"]
    u = numbers["u0"] if "u0" in numbers else numbers.get("u1", 1) - 1
    v = numbers["v0"] if "v0" in numbers else numbers.get("v1", 1) - 1
    if not 0 <= u < 10 or v < 0:
        return None
    udim = 1001 + u + 10 * v
    return udim if udim < 2000 else None


def expand_tiles(
    path: str, tiles: Optional[Iterable[int]] = None, names: Optional[Iterable[str]] = None
) -> List[str]:
    """The tile paths of ``path``: for the given ``tiles`` (UDIM numbers) when the host lists
    them, else for every tile found in the folder (sorted; ``names`` is the folder's listing
    when the caller has read it already). Frame placeholders stay in each
    tile's path for the dependency scan. A path without tile tokens is returned as it is;
    one whose tiles are all absent is returned as the pattern, so the dependency scan
    reports it missing under the name the artist typed."""
    if not has_tiles(path):
        return [path]
    if tiles is None:
        folder, name = os.path.split(path)
        if has_tiles(folder):  # tiles in folder names: not a layout any host writes
            return [path]
        regex = _tile_regex(name)
        if names is None:
            try:
                names = os.listdir(folder or ".")
            except OSError:
                return [path]
        found = set()
        for entry in names:
            match = regex.fullmatch(entry)
            udim = _udim_of(match.groupdict()) if match is not None else None
            if udim is not None:
                found.add(udim)
        tiles = found
    paths = [tile_path(path, udim) for udim in sorted(set(tiles))]
    return paths or [path]


def _loose(text: str) -> str:
    """``text`` as a regex in which a tile token matches the value a host resolves it to
    (``1001``, ``u1_v1``, ``0``).

    Digits side by side (tokens, and digits of the text next to them) are merged into one
    ``\\d{n,}``, so no two parts of the regex compete for the same digits: ``.+?`` per token
    backtracked exponentially on a name that does not match (ten tokens took seconds, and
    ``\\d+`` per token as much for ``<u><u><u>...``; found by fuzzing)."""
    atoms: List[Tuple[str, int, bool]] = []  # (literal, digits, fixed width) per piece
    position = 0
    for match in _TILE_PATTERN.finditer(text):
        atoms.extend(_literal_atoms(text[position : match.start()]))
        atoms.extend(_TILE_ATOMS[match.group(0)])
        position = match.end()
    atoms.extend(_literal_atoms(text[position:]))
    pieces: List[str] = []
    digits, fixed = 0, True
    for literal, count, exact in atoms + [("", 0, True)]:
        if count:
            digits, fixed = digits + count, fixed and exact
            continue
        if digits:
            pieces.append(r"\d{%d}" % digits if fixed else r"\d{%d,}" % digits)
            digits, fixed = 0, True
        pieces.append(re.escape(literal))
    return "".join(pieces)


def _literal_atoms(text: str) -> List[Tuple[str, int, bool]]:
    return [
        ("", len(part), True) if _DIGIT_RUNS.fullmatch(part) else (part, 0, True)
        for part in _DIGIT_RUNS.split(text)
        if part
    ]


def frame_token_to_hashes(path: str, resolved: str = "") -> str:
    """``<f>``/``<frame>`` turned into ``#`` placeholders padded like ``resolved`` (the file
    name the host resolved for one frame): ``tex.<f>.exr`` with ``tex.0012.exr`` gives
    ``tex.####.exr``. Without a resolved name the frame is taken as unpadded (``#``)."""
    match = _FRAME_TOKEN.search(path)
    if match is None:
        return path
    padding = 1
    if resolved:
        prefix = path[: match.start()]
        suffix = path[match.end() :]
        digits = re.fullmatch(_loose(prefix) + r"(-?\d+)" + _loose(suffix), resolved)
        if digits is not None:
            padding = len(digits.group(1))  # a sign counts, as in ``####``
    return _FRAME_TOKEN.sub("#" * padding, path)
