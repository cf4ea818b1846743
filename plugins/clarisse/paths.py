"""Clarisse path text turned into what the dependency scan reads.

File attributes hold text such as ``$PDIR/tex/wood.####.<UDIM>.tx``: Clarisse's variables
(``$PDIR``, ``$CDIR``, the project's custom ones) and environment variables are expanded here,
the frame variables (``$F``, ``$4F``) and ``####`` are kept for the scan
(``farmhand.core.deps``), and a relative result is taken relative to the project's folder.
"""

import os
import re
from typing import Optional

import ix

_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")
_FRAME = re.compile(r"^\d?F$")


def variable(name: str) -> Optional[str]:
    """A Clarisse variable's value, or the environment's, or None."""
    found = ix.application.get_factory().get_vars().get(name)
    if found is not None:
        return str(found.get_string())
    return os.environ.get(name)


def expand_variables(text: str) -> str:
    def replace(match: "re.Match[str]") -> str:
        name = match.group(1) or match.group(2)
        if _FRAME.match(name):
            return match.group(0)
        value = variable(name)
        return match.group(0) if value is None else value

    return _VARIABLE.sub(replace, text)


def expand_path(text: str, base: str) -> str:
    """``text`` with its variables expanded, absolute against ``base`` (frame variables kept)."""
    expanded = os.path.expanduser(expand_variables(text.strip()))
    if expanded and not os.path.isabs(expanded):
        expanded = os.path.join(base, expanded)
    return os.path.normpath(expanded) if expanded else ""
