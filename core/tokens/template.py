"""Parsing and rendering ``<token>`` templates.

The syntax, exactly: a token is ``<``, immediately followed by an identifier (a letter or
``_``, then letters, digits or ``_``), immediately followed by ``>``. Nothing else is a token,
so shell text passes through untouched: ``2>&1``, ``< in.txt``, ``cat <<EOF``, ``a < b``,
``<1>`` and ``< job >`` are literal text. Token names are case-sensitive (all are lower case),
so ``<JOB>`` is reported as unknown rather than silently left in a command. There is no escape:
a literal ``<word>`` in a command can be written with a space or quotes (``"<"word">"``).

A template is parsed once, checked against its scope (an unknown token, or one of a narrower
scope, raises ``TokenError`` naming the field and listing the valid tokens), then *bound* to
the values known for the whole job, leaving only task and tile tokens. ``renderer()`` turns
what is left into one ``str.format`` call per task, which is what keeps 100,000 commands fast.
"""

import re
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from farmhand.core.errors import TokenError
from farmhand.core.tokens.shell import shell_bind_parts
from farmhand.core.tokens.table import SCOPES, TOKEN_SCOPE, scope_rank, tokens_visible_in

TOKEN_PATTERN = re.compile(r"<([A-Za-z_][A-Za-z0-9_]*)>")


class Template:
    """A parsed template: literal text alternating with token names (read-only)."""

    __slots__ = ("source", "scope", "field", "_parts")

    def __init__(self, source: str, scope: str = "tile", field: Optional[str] = None) -> None:
        """Parse ``source`` and check every token is visible in ``scope``."""
        rank = scope_rank(scope)
        self.source = source
        self.scope = scope
        self.field = field
        parts = TOKEN_PATTERN.split(source)  # literal, name, literal, ..., literal
        for name in parts[1::2]:
            token_scope = TOKEN_SCOPE.get(name)
            if token_scope is None or SCOPES.index(token_scope) > rank:
                raise TokenError(name, scope, tokens_visible_in(scope), field, token_scope)
        self._parts: Tuple[str, ...] = tuple(parts)

    @classmethod
    def _from_parts(
        cls, source: str, scope: str, field: Optional[str], parts: Sequence[str]
    ) -> "Template":
        template = cls.__new__(cls)
        template.source = source
        template.scope = scope
        template.field = field
        template._parts = tuple(parts)
        return template

    @property
    def tokens(self) -> Tuple[str, ...]:
        """The distinct tokens still to be filled, in order of first use."""
        seen: List[str] = []
        for name in self._parts[1::2]:
            if name not in seen:
                seen.append(name)
        return tuple(seen)

    @property
    def is_constant(self) -> bool:
        return len(self._parts) == 1

    def bind(self, values: Mapping[str, object]) -> "Template":
        """A template with every token found in ``values`` replaced by its text."""
        merged: List[str] = [self._parts[0]]
        for position in range(1, len(self._parts), 2):
            name = self._parts[position]
            literal = self._parts[position + 1]
            if name in values:
                merged[-1] += str(values[name]) + literal
            else:
                merged.extend((name, literal))
        return Template._from_parts(self.source, self.scope, self.field, merged)

    def shell_bind(
        self, values: Mapping[str, object], word_lists: Mapping[str, Sequence[str]]
    ) -> "Template":
        """``bind`` for a command template: each value quoted for where it stands in the
        shell text (see ``shell.py``); ``word_lists`` gives the items of list tokens."""
        merged = shell_bind_parts(self._parts, values, word_lists)
        return Template._from_parts(self.source, self.scope, self.field, merged)

    def render(self, values: Mapping[str, object]) -> str:
        """The text with every token replaced; a missing value is a programming error."""
        missing = [name for name in self.tokens if name not in values]
        if missing:
            raise KeyError("no value for token(s) {}".format(", ".join(missing)))
        return self.bind(values)._parts[0]

    def renderer(self, names: Sequence[str]) -> Callable[..., str]:
        """A fast ``render(*values)`` taking the values of ``names`` positionally.

        ``names`` must cover every remaining token (extra names are ignored), so a caller
        computes only the per-task values the template really uses.
        """
        position: Dict[str, int] = {}
        for index, name in enumerate(names):
            position.setdefault(name, index)
        missing = [name for name in self.tokens if name not in position]
        if missing:
            raise KeyError("no value for token(s) {}".format(", ".join(missing)))
        pieces = [_escape_braces(self._parts[0])]
        for index in range(1, len(self._parts), 2):
            pieces.append("{%d}" % position[self._parts[index]])
            pieces.append(_escape_braces(self._parts[index + 1]))
        return "".join(pieces).format

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Template):
            return NotImplemented
        return (self._parts, self.scope) == (other._parts, other.scope)

    def __hash__(self) -> int:
        return hash((self._parts, self.scope))

    def __repr__(self) -> str:
        return "Template({!r}, scope={!r}, field={!r})".format(self.source, self.scope, self.field)


def _escape_braces(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def render_template(
    text: str, values: Mapping[str, object], scope: str, field: Optional[str] = None
) -> str:
    """Parse, check and render in one call (for fields rendered once per job)."""
    return Template(text, scope, field).render(values)
