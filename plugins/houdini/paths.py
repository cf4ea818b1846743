"""Houdini path text turned into what the dependency scan reads.

A file parm holds text such as ``$HIP/tex/wood.$F4.<UDIM>.rat``: variables Houdini expands
(``$HIP``, ``$JOB``, ``~``) are expanded here, but the frame variables are kept, because they
are what tells the scan a path is a sequence (``farmhand.core.deps`` reads ``$F``/``$F4``).
Houdini spells a frame variable in more ways than the scan does, so they are normalised first:
``${F4}`` -> ``$F4``, ``$FF`` (the fractional frame) -> ``$F``; and the older UDIM spelling
``%(UDIM)d`` -> ``<UDIM>``. A relative result is taken relative to ``$HIP``, as Houdini does.
"""

import os
import re

import hou

# $F, $F4, ${F}, ${F4}, $FF, ${FF}; not $FPS, $FSTART, $FEND (the look-ahead)
_FRAME_VARIABLE = re.compile(r"\$\{(F\d?|FF)\}|\$(F\d?|FF)(?![A-Za-z0-9_])")
_PLACEHOLDER = "@@FARMHAND_FRAME_{}@@"
_OLD_UDIM = re.compile(r"%\(UDIM\)d")


def _frame_token(match: "re.Match[str]") -> str:
    name = match.group(1) or match.group(2)
    return "$F" if name == "FF" else "$" + name


def normalise_frame_variables(text: str) -> str:
    """``${F4}`` -> ``$F4``, ``$FF`` -> ``$F``, ``%(UDIM)d`` -> ``<UDIM>``."""
    return _OLD_UDIM.sub("<UDIM>", _FRAME_VARIABLE.sub(_frame_token, text))


def expand_path(text: str) -> str:
    """``text`` with every variable but the frame's expanded, made absolute against $HIP."""
    text = normalise_frame_variables(text)
    kept = []

    def protect(match: "re.Match[str]") -> str:
        kept.append(match.group(0))
        return _PLACEHOLDER.format(len(kept) - 1)

    protected = _FRAME_VARIABLE.sub(protect, text)
    expanded = hou.text.expandString(protected)
    for index, token in enumerate(kept):
        expanded = expanded.replace(_PLACEHOLDER.format(index), token)
    if expanded and not os.path.isabs(expanded):
        hip = hou.text.expandString("$HIP")
        expanded = os.path.join(hip, expanded)
    return os.path.normpath(expanded) if expanded else expanded
