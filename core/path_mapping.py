"""Path mapping: a script written on one machine names folders that live elsewhere here.

A pipeline script authored on Windows says ``c:\\projects\\show``; the same folder is
``/mnt/projects/show`` on the Linux workstation and farm. Rules ``from`` prefix -> ``to``
prefix say so, once per site or user, instead of editing every script:

* ``FARMHAND_PATH_MAP``: JSON, a list ``[{"from": "c:\\\\", "to": "/mnt/c"}]`` or an object
  ``{"c:\\\\": "/mnt/c"}`` (the user's rules, tried first on equal length);
* ``path_map`` in ``$FARMHAND_HOME/farm/config.json``, the same list (the site's rules).

Windows-style prefixes (``c:\\...``, ``c:/...``, ``\\\\server\\share``) match whole path
components, with ``\\`` and ``/`` both separators and letters compared case-insensitively
(Windows itself ignores case, so ``C:\\Proj`` and ``c:\\proj`` are one folder); POSIX
prefixes match components case-sensitively. The longest matching prefix wins. On POSIX a
Windows-style path that no rule covers cannot name anything here, so it is an error that
names the path and says how to map it, never a "no such folder" from deep inside.
"""

import json
import os
import re
from typing import Any, Iterable, List, Mapping, NamedTuple, Optional, Tuple

from farmhand.core.errors import InputError

ENV_VARIABLE = "FARMHAND_PATH_MAP"
CONFIG_KEY = "path_map"
RULE_KEYS = ("from", "to")

_DRIVE = re.compile(r"^[A-Za-z]:")


class PathMapError(InputError):
    """A path mapping rule that cannot be used, or a path no rule maps; ``path`` is the value."""

    def __init__(self, message: str, field: Optional[str] = None, path: str = "") -> None:
        self.path = path
        super().__init__(message, field)


class PathRule(NamedTuple):
    source: str  # the ``from`` prefix as written
    target: str  # the ``to`` prefix as written
    origin: str  # where the rule came from (``FARMHAND_PATH_MAP[0]``, ``<file>: path_map[1]``)


def is_windows_path(path: str) -> bool:
    """A drive path (``c:\\x``, ``c:/x``, ``c:x``) or a UNC path (``\\\\server\\share``)."""
    return bool(_DRIVE.match(path)) or path.startswith("\\\\")


def _split(path: str) -> Tuple[bool, List[str], List[str]]:
    """(windows-style, components to compare, components as written): the anchor (``c:``,
    ``//server``) or ``/`` first; Windows components compare in lower case."""
    if is_windows_path(path):
        text = path.replace("\\", "/")
        if text.startswith("//"):
            pieces = [p for p in text[2:].split("/") if p not in ("", ".")]
            written = ["//" + (pieces[0] if pieces else "")] + pieces[1:]
        else:
            written = [text[:2]] + [p for p in text[2:].split("/") if p not in ("", ".")]
        return True, [p.lower() for p in written], written
    written = (["/"] if path.startswith("/") else []) + [
        p for p in path.split("/") if p not in ("", ".")
    ]
    return False, written, written


def _absolute(path: str) -> bool:
    if path.startswith("/"):
        return True
    if path.startswith("\\\\"):
        return len([p for p in path.replace("\\", "/").split("/") if p]) >= 1
    return bool(_DRIVE.match(path)) and path[2:3] in ("\\", "/")


def parse_rules(data: Any, origin: str) -> List[PathRule]:
    """Rules from their JSON form (a list of ``{"from", "to"}`` or a ``{from: to}`` object);
    each error names ``origin`` and the entry."""
    if isinstance(data, Mapping):
        items: Iterable[Any] = [{"from": k, "to": v} for k, v in data.items()]
    elif isinstance(data, list):
        items = data
    else:
        raise PathMapError(
            "expected a list of {{\"from\": ..., \"to\": ...}} rules or a {{from: to}} object,"
            " got {!r}".format(data),
            origin,
        )
    rules = []
    for index, entry in enumerate(items):
        where = "{}[{}]".format(origin, index)
        if not isinstance(entry, Mapping):
            raise PathMapError(
                "expected {{\"from\": ..., \"to\": ...}}, got {!r}".format(entry), where
            )
        unknown = sorted(str(k) for k in entry if k not in RULE_KEYS)
        if unknown:
            raise PathMapError(
                "unknown key {!r}; valid keys: from, to".format(unknown[0]), where
            )
        for key in RULE_KEYS:
            value = entry.get(key)
            if not isinstance(value, str) or not value:
                raise PathMapError(
                    "{!r} must be a non-empty path, got {!r}".format(key, value), where
                )
            if not _absolute(value):
                raise PathMapError(
                    "{!r} must be an absolute path (c:\\..., \\\\server\\share, /...), got {!r}"
                    .format(key, value),
                    where,
                    path=value,
                )
        rules.append(PathRule(entry["from"], entry["to"], where))
    return rules


def config_path(environ: Optional[Mapping[str, str]] = None) -> str:
    """The farm/site config file that may hold ``path_map`` (it is not created here)."""
    env = os.environ if environ is None else environ
    home = env.get("FARMHAND_HOME") or os.path.join(os.path.expanduser("~"), ".farmhand")
    return os.path.join(os.path.abspath(home), "farm", "config.json")


def load_rules(environ: Optional[Mapping[str, str]] = None) -> List[PathRule]:
    """The user's rules (``FARMHAND_PATH_MAP``) then the site's (``path_map`` in the config)."""
    env = os.environ if environ is None else environ
    rules: List[PathRule] = []
    text = env.get(ENV_VARIABLE, "").strip()
    if text:
        try:
            data = json.loads(text)
        except ValueError as error:
            raise PathMapError(
                "not valid JSON ({}); example: {}='{{\"c:\\\\\": \"/mnt/c\"}}'".format(
                    error, ENV_VARIABLE
                ),
                ENV_VARIABLE,
            ) from None
        rules += parse_rules(data, ENV_VARIABLE)
    path = config_path(env)
    if os.path.isfile(path):
        try:
            with open(path, encoding="utf-8") as handle:
                config = json.load(handle)
        except (OSError, ValueError) as error:
            raise PathMapError(
                "cannot read the path map from {} ({})".format(path, error), CONFIG_KEY
            ) from None
        if isinstance(config, dict) and CONFIG_KEY in config:
            rules += parse_rules(config[CONFIG_KEY], "{}: {}".format(path, CONFIG_KEY))
    return rules


def _join(target: str, rest: List[str]) -> str:
    """``target`` plus the path's remaining components, in the target's separator style."""
    if not rest:
        return target
    separator = "\\" if is_windows_path(target) else "/"
    return target.rstrip("\\/") + separator + separator.join(rest)


def map_path(path: str, rules: Iterable[PathRule]) -> Optional[str]:
    """``path`` through the longest rule that covers it (the first of equal ones), or None
    when none does. The components after the prefix keep their case."""
    windows, parts, written = _split(path)
    best: Optional[Tuple[int, PathRule]] = None
    for rule in rules:
        rule_windows, prefix, _ = _split(rule.source)
        if rule_windows != windows or parts[: len(prefix)] != prefix:
            continue
        if best is None or len(prefix) > best[0]:
            best = (len(prefix), rule)
    if best is None:
        return None
    return _join(best[1].target, written[best[0] :])


def local_path(
    path: str,
    field: Optional[str] = None,
    rules: Optional[Iterable[PathRule]] = None,
    environ: Optional[Mapping[str, str]] = None,
) -> str:
    """``path`` as this machine names it: mapped by the first longest rule, else unchanged;
    a Windows-style path that no rule maps is an error on POSIX (``field`` says where it came
    from)."""
    known = list(load_rules(environ) if rules is None else rules)
    mapped = map_path(path, known)
    if mapped is not None:
        return mapped
    if os.name != "nt" and is_windows_path(path):
        anchor = _split(path)[2][0]
        raise PathMapError(
            "{} is a Windows path and no path mapping rule covers it on this machine; map its"
            " drive or folder to a local one with {}='{{\"{}\\\\\": \"/local/folder\"}}' or a"
            " {!r} list in {} ({} rule(s) known)".format(
                path, ENV_VARIABLE, anchor.replace("/", "\\\\"), CONFIG_KEY,
                config_path(environ), len(known)
            ),
            field,
            path=path,
        )
    return path
