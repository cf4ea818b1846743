"""The payload text is exactly json.dumps(sort_keys=True, indent=2) + newline, fast path or not."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from farmhand.core.job import payload_json


def reference(payload):
    return json.dumps(payload, sort_keys=True, indent=2) + "\n"


unicode_text = st.text(max_size=20)  # quotes, backslashes, control and non-ASCII characters
leaves = st.none() | st.booleans() | st.integers() | unicode_text
values = st.recursive(
    leaves,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(unicode_text, inner, max_size=3),
    max_leaves=10,
)
regular_tasks = st.lists(
    st.fixed_dictionaries({"command": unicode_text, "frames": unicode_text}), max_size=5
)
odd_tasks = st.lists(
    st.dictionaries(st.sampled_from(["command", "frames", "title"]), values, max_size=3)
    | st.fixed_dictionaries({"command": unicode_text}),
    max_size=4,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(unicode_text, values, max_size=5), regular_tasks | odd_tasks)
def test_same_text_as_json_dumps(payload, tasks):
    payload = dict(payload)
    payload["tasks_data"] = tasks
    assert payload_json(payload) == reference(payload)


def test_empty_payload_and_empty_tasks():
    assert payload_json({}) == "{}\n"
    assert payload_json({"tasks_data": []}) == reference({"tasks_data": []})


def test_non_ascii_is_escaped():
    task = {"command": "\u00e9", "frames": "1"}
    payload = {"job_title": "Caf\u00e9 \u2603", "tasks_data": [task]}
    text = payload_json(payload)
    assert text == reference(payload)
    assert text.isascii() if hasattr(text, "isascii") else all(ord(c) < 128 for c in text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(unicode_text, unicode_text), max_size=6))
def test_task_columns_write_the_same_text_as_task_dicts(pairs):
    tasks = [{"command": c, "frames": f} for c, f in pairs]
    columns = ([c for c, _ in pairs], [f for _, f in pairs])
    payload = {"job_title": "x", "tasks_data": tasks}
    assert payload_json(payload, columns) == reference(payload)
