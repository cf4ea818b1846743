"""Variables and expressions in scanned paths: what is expanded, and what is only reported.

Environment variables (``$TEXTURES/wood.exr``, ``${SHOW}/bg.####.exr``) and ``~`` are
expanded from the submitting machine's environment, as the host itself expands them when it
reads the file. Frame variables (``$F``, ``$F4``, ``$4F``) are not environment variables:
they stay for the frame patterns. What cannot be known without running the host is reported
as unresolved instead of guessed: frame expressions (``$F * 2``, ``$F+1``), backtick
expressions and other time variables (``$FF``, ``$T``), and variables this machine does not
set. Guessing would upload the wrong files and let the render fail on the farm.
"""

import re
from typing import List, Mapping, Optional, Tuple

_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")
_FRAME_VARIABLE = re.compile(r"F\d?")
# Time variables a host evaluates per frame that are not frame placeholders.
_TIME_VARIABLES = ("FF", "T", "SF", "RFSTART", "RFEND")
_FRAME_EXPRESSION = re.compile(r"\$(?:F\d?|\dF)\s*(?:[*/]|[-+%]\s*[\d$(])")


def expand_variables(path: str, environ: Mapping[str, str]) -> Tuple[str, List[str]]:
    """``path`` with its environment variables replaced, and the names this machine does
    not set (left as written). Frame and time variables are left alone."""
    undefined: List[str] = []

    def replace(match: "re.Match[str]") -> str:
        name = match.group(1) or match.group(2)
        if _FRAME_VARIABLE.fullmatch(name) or name in _TIME_VARIABLES:
            return match.group(0)
        value = environ.get(name)
        if value is None:
            if name not in undefined:
                undefined.append(name)
            return match.group(0)
        return value

    return _VARIABLE.sub(replace, path), undefined


def unresolved_reason(path: str) -> Optional[str]:
    """Why the files of ``path`` cannot be known without the host, or None."""
    expression = _FRAME_EXPRESSION.search(path)
    if expression is not None:
        end = expression.end()
        while end < len(path) and path[end] not in "/\\.":  # the rest of the operand
            end += 1
        return (
            "the frame expression {!r} is not evaluated; use a plain frame pattern (####, $F4)"
            " or add the files to upload_paths".format(path[expression.start() : end].strip())
        )
    if "`" in path:
        return "the backtick expression is not evaluated; add the files to upload_paths"
    for match in _VARIABLE.finditer(path):
        name = match.group(1) or match.group(2)
        if name in _TIME_VARIABLES:
            return (
                "${} changes per frame and is not evaluated; add the files to "
                "upload_paths".format(name)
            )
    return None
