"""A reader for Houdini's dialog-script language, enough to check the FarmhandJob HDA.

Dialog scripts are braced blocks of statements, one per line: ``name "x"``, ``joinnext``,
``default { "0" }``, ``parm { ... }``. ``read`` returns the top block as a list of statements,
each a list of words (strings, quotes removed) and nested blocks (lists); it raises
``ValueError`` naming the line of an unbalanced brace or an unterminated string.
"""

import re

_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"|(\{)|(\})|(#[^\n]*)|([^\s{}"]+)|(\n)|([ \t\r]+)|(")')


def tokens(text):
    line = 1
    for match in _TOKEN.finditer(text):
        quoted, opening, closing, _comment, word, newline, _space, stray = match.groups()
        if stray is not None:
            raise ValueError("line {}: unterminated string".format(line))
        if newline is not None:
            yield ("newline", None, line)
            line += 1
        elif opening is not None:
            yield ("open", None, line)
        elif closing is not None:
            yield ("close", None, line)
        elif quoted is not None:
            yield ("word", re.sub(r"\\(.)", r"\1", quoted), line)
        elif word is not None:
            yield ("word", word, line)


def _block(stream, opened_at):
    statements = []
    current = []
    for kind, value, line in stream:
        if kind == "newline":
            if current:
                statements.append(current)
                current = []
        elif kind == "open":
            current.append(_block(stream, line))
        elif kind == "close":
            if current:
                statements.append(current)
            return statements
        else:
            current.append(value)
    if opened_at is not None:
        raise ValueError("line {}: brace never closed".format(opened_at))
    if current:
        statements.append(current)
    return statements


def read(text):
    stream = iter(tokens(text))
    top = _block(stream, None)
    blocks = [s for s in top if len(s) == 1 and isinstance(s[0], list)]
    if len(blocks) != 1 or len(top) != 1:
        raise ValueError("a dialog script is one braced block, got {} statements".format(len(top)))
    return blocks[0][0]


def value(statement):
    """The words of a statement after its keyword (a nested block's words flattened)."""
    words = []
    for item in statement[1:]:
        if isinstance(item, list):
            for inner in item:
                words.extend(w for w in inner if not isinstance(w, list))
        else:
            words.append(item)
    return words


def parms(script_text):
    """Each ``parm { ... }`` of the script as a dict: keyword -> its words; ``menu`` -> the
    (token, label) pairs; ``parmtag`` -> {tag: value}; flags (``joinnext``) -> []."""
    found = []
    for statement in read(script_text):
        if statement[0] != "parm":
            continue
        body = statement[1]
        parm = {"parmtag": {}}
        for item in body:
            key = item[0]
            if key == "menu":
                parm["menu"] = [tuple(pair) for pair in item[1]]
            elif key == "parmtag":
                tag = item[1][0]
                parm["parmtag"][tag[0]] = tag[1]
            else:
                parm[key] = value(item)
        found.append(parm)
    return found
