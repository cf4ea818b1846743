"""The payload's text: exactly ``json.dumps(payload, sort_keys=True, indent=2) + "\\n"``, fast.

The same bytes everywhere (preview dialog, ``farmhand preview``, golden files) need one
formatting: sorted keys, two-space indent, ASCII only (``\\u00e9``: identical on every
platform and locale), a trailing newline. ``json.dumps`` with an indent falls back to the
pure-Python encoder, about a second for 100,000 tasks; the tasks list, nearly all of the
text, is written here directly with the C string encoder, everything else by ``json.dumps``.
Tests compare the two on generated payloads.
"""

import json
from itertools import chain, islice, repeat
from json.encoder import encode_basestring_ascii as _encode  # the C one when present
from operator import itemgetter
from typing import Any, List, Mapping, Optional, Sequence, Tuple

# The tasks list is written as one join over C iterators: per task, the encoded command, the
# text between command and frames, the encoded frames, the text up to the next command.
_TASKS_START = '[\n    {\n      "command": '
_BETWEEN_FIELDS = ',\n      "frames": '
_BETWEEN_TASKS = '\n    },\n    {\n      "command": '
_TASKS_END = "\n    }\n  ]"
_GET_COMMAND = itemgetter("command")
_GET_FRAMES = itemgetter("frames")


def _generic(value: Any) -> str:
    """``value`` as it appears one level inside the top object."""
    return json.dumps(value, sort_keys=True, indent=2).replace("\n", "\n  ")


def task_columns_text(commands: Sequence[str], frames: Sequence[str]) -> str:
    """The tasks list written from two columns of strings (one command, one frames each)."""
    if not commands:
        return "[]"
    pieces = chain.from_iterable(
        zip(
            map(_encode, commands),
            repeat(_BETWEEN_FIELDS),
            map(_encode, frames),
            repeat(_BETWEEN_TASKS),
        )
    )
    body = islice(pieces, 4 * len(commands) - 1)  # all but the last _BETWEEN_TASKS
    return "".join(chain((_TASKS_START,), body, (_TASKS_END,)))


def _fast_tasks(tasks: List[Any]) -> Optional[str]:
    """The tasks list when every task is exactly ``{command, frames}`` of strings, else None.

    The shape checks are C-level passes too (``map`` over types and lengths)."""
    if set(map(type, tasks)) != {dict} or set(map(len, tasks)) != {2}:
        return None
    try:
        commands = list(map(_GET_COMMAND, tasks))
        frames = list(map(_GET_FRAMES, tasks))
    except KeyError:
        return None
    if set(map(type, commands)) != {str} or set(map(type, frames)) != {str}:
        return None
    return task_columns_text(commands, frames)


def payload_json(
    payload: Mapping[str, Any], task_columns: Optional[Tuple[Sequence[str], Sequence[str]]] = None
) -> str:
    """The canonical text of a payload (see the module docstring).

    ``task_columns`` (commands, frames) stand for ``tasks_data`` when the caller has the tasks
    as two columns of strings (a generated job): the same text, without a dict per task.
    """
    if not payload:
        return "{}\n"
    pieces = ["{\n"]
    for key in sorted(payload):
        value = payload[key]
        text = None
        if key == "tasks_data" and task_columns is not None:
            text = task_columns_text(*task_columns)
        elif key == "tasks_data" and isinstance(value, list) and value:
            text = _fast_tasks(value)
        pieces.extend(("  ", _encode(key), ": ", _generic(value) if text is None else text, ",\n"))
    pieces[-1] = "\n}\n"
    return "".join(pieces)
