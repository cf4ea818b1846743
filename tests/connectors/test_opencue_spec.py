"""OpenCue job specs: built with pyoutline, valid against Cuebot's DTD, Cuebot's own rules.

The DTD (``data/cjsl-1.15.dtd``, the version pyoutline's default config writes) is vendored
from OpenCue's Cuebot sources under the Apache License 2.0 (see ``data/README.md``).
"""

import os
import sys
import xml.etree.ElementTree as ElementTree

import pytest

from farmhand.core.connectors.opencue.spec import (
    CueSettings,
    PyOutlineMissingError,
    cue_name,
    cuebot_problems,
    spec_files,
)
from farmhand.core.errors import InputError
from tests.conftest import require

DTD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "cjsl-1.15.dtd")
FOLDER = "/shared/farmhand/jobs/j1"


def payload(count=6, scout="1,5", **extra):
    data = {
        "job_title": "Shot 010: comp <v2>",
        "project": "testing",
        "owner": "alice",
        "priority": 7,
        "scout_frames": scout,
        "environment": {"GREETING": "hello"},
        "notify": {"emails": ["a@example.com", "b@example.com"]},
        "autoretry_policy": {"failed": {"max_retries": 3}},
        "tasks_data": [
            {"command": "echo {}".format(f), "frames": str(f)} for f in range(1, count + 1)
        ],
    }
    data.update(extra)
    return data


def build(data, settings=None):
    try:
        import outline  # noqa: F401
    except ImportError:
        require(False, "OpenCue's pyoutline (opencue-pyoutline in .venv)")
    return spec_files(data, FOLDER, settings)


def dtd_errors(text):
    from lxml import etree as lxml  # requirements/main.txt; missing is an error, not a skip

    with open(DTD, "rb") as handle:
        dtd = lxml.DTD(handle)
    document = lxml.fromstring(text.encode("utf-8"))
    valid = dtd.validate(document)
    return [] if valid else [str(e) for e in dtd.error_log.filter_from_errors()]


def spec_root(text):
    return ElementTree.fromstring(text[text.index("<spec>") :])


def test_scout_stage_spec_is_valid_against_cuebots_dtd():
    files, _ = build(payload())
    text = files["job.xml"]
    assert text.startswith('<?xml version="1.0"?><!DOCTYPE spec PUBLIC')
    assert "cjsl-1.15.dtd" in text.split("<spec>")[0]
    assert dtd_errors(text) == []
    root = spec_root(text)
    assert [root.findtext(t) for t in ("show", "shot", "user", "email")] == [
        "testing",
        "farmhand",
        "alice",
        "a@example.com,b@example.com",
    ]
    job = root.find("job")
    assert job.get("name") == "Shot_010_comp_v2"
    assert job.findtext("priority") == "7"
    assert job.findtext("maxretries") == "1"  # Cuebot's limit
    layers = job.findall("layers/layer")
    assert [
        (layer.get("name"), layer.findtext("range"), layer.findtext("chunk")) for layer in layers
    ] == [
        ("scout", "1-5x4", "1"),
        ("render", "2-4,6", "1"),
    ]
    assert layers[0].findtext("cmd") == "/bin/sh {}/tasks/#IFRAME#.sh".format(FOLDER)
    depends = root.findall("depends/depend")
    assert [(d.get("type"), d.findtext("deplayer"), d.findtext("onlayer")) for d in depends] == [
        ("LAYER_ON_LAYER", "render", "scout")
    ]
    assert files["tasks/5.sh"].splitlines()[-2:] == ["export GREETING=hello", "echo 5"]


def test_partial_waits_are_frame_on_frame_and_valid():
    data = payload(4, scout="")
    data["tasks_data"][3]["depends_on"] = [1]
    files, staged = build(data)
    text = files["job.xml"]
    assert dtd_errors(text) == []
    depends = spec_root(text).findall("depends/depend")
    assert [
        [d.get("type")] + [d.findtext(t) for t in ("deplayer", "depframe", "onlayer", "onframe")]
        for d in depends
    ] == [["FRAME_ON_FRAME", "stage_2", "0004-stage_2", "stage_1", "0002-stage_1"]]
    assert cuebot_problems(with_uid(text, "1000")) == []


def test_settings_choose_show_shot_and_service():
    files, _ = build(payload(2, scout=""), CueSettings(show="pipe", shot="sh010", service="prman"))
    root = spec_root(files["job.xml"])
    assert (root.findtext("show"), root.findtext("shot")) == ("pipe", "sh010")
    assert root.findtext("job/layers/layer/services/service") == "prman"


def with_uid(text, uid):
    start = text.index("<uid>") + len("<uid>")
    return text[:start] + uid + text[text.index("</uid>") :]


def test_cuebot_rules_beyond_the_dtd():
    files, _ = build(payload(2, scout=""))
    text = with_uid(files["job.xml"], "1000")
    assert cuebot_problems(text) == []
    assert cuebot_problems(with_uid(text, "0")) == [
        "Cuebot refuses jobs launched as root (user 'alice', uid 0); submit as a render user"
    ]
    assert cuebot_problems(text.replace("<user>alice</user>", "<user>root</user>")) == [
        "Cuebot refuses jobs launched as root (user 'root', uid 1000); submit as a render user"
    ]
    many = text.replace("<range>1-2</range>", "<range>1-100001</range>")
    assert cuebot_problems(many) == ["100001 frames; Cuebot's limit is 100000"]
    short = text.replace('name="render"', 'name="r"')
    assert cuebot_problems(short) == ["layer name 'r' is not a valid Cuebot name"]


@pytest.mark.parametrize(
    "change, text",
    [
        (
            {"project": "a b"},
            "project: 'a b' is not a valid OpenCue show name (letters, digits, _"
            " and ., at least 3 characters)",
        ),
        ({"owner": ""}, "owner: is empty; OpenCue runs a job as its owner"),
        ({"priority": -1}, "priority: expected a whole number of at least 0, got -1"),
        (
            {"metadata": {"shot": "x"}},
            "metadata.shot: 'x' is not a valid OpenCue shot name"
            " (letters, digits, _ and ., at least 3 characters)",
        ),
        (
            {"environment": {"A-B": "1"}},
            "environment: 'A-B' is not a valid variable name (letters,"
            " digits and _, not starting with a digit)",
        ),
    ],
)
def test_bad_input_names_the_field(change, text):
    with pytest.raises(InputError) as caught:
        build(payload(2, **change))
    assert str(caught.value) == text


def test_job_names_cuebot_accepts():
    assert cue_name("Shot 010: comp", "x") == "Shot_010_comp"
    assert cue_name("!!", "farmhand_job") == "farmhand_job"


def test_without_pyoutline_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "outline", None)
    with pytest.raises(PyOutlineMissingError) as caught:
        spec_files(payload(2), FOLDER)
    assert "building an OpenCue job needs OpenCue's pyoutline" in str(caught.value)
    assert "pip install opencue-pyoutline" in str(caught.value)
