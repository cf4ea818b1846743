"""The seeds' Clarisse tutorial, step by step in the fake Clarisse, gives the job it describes.

The tutorial (``/work/shared/seeds/001_*.txt``, "Quick start"): a project with two images
rendering to disk, New > FarmhandJob in the project context, a title, the images added, a farm
project chosen after Connect, Use Custom Frames ``1-10``, Chunk Size 2, Use Scout Frames
``3,8``, an instance type, the detected Clarisse package, then Preview. Its variable table
gives the values for that job (10 frames, 5 chunks, 2 scout frames ``3-8x5``, the last task's
chunks ``9:10 9:10`` once per image, the render package next to the project...).

``golden/tutorial_job.json`` holds what Farmhand makes of it: the Frames Info line, every
global/job token with its value and the last task's task tokens (the tutorial's table, in
Farmhand's ``<token>`` names), the payload and its validation. Paths are written under
``$ROOT`` (the test's folder), the time pinned to the table's ``2019_05_07_01_12_46``.
Regenerate only on purpose: ``FARMHAND_UPDATE_GOLDEN=1 pytest tests/plugins/clarisse``.
"""

import json
import os
import tempfile

import pytest

from farmhand.core.catalogue import Catalogue, InstanceType, SoftwarePackage
from farmhand.core.job.token_values import job_token_values
from farmhand.core.tokens import chunk_value_getters

pytestmark = pytest.mark.timeout(60)

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden", "tutorial_job.json")
UPDATE = os.environ.get("FARMHAND_UPDATE_GOLDEN") == "1"
TABLE_TIME = "1557191566"  # 2019-05-07 01:12:46 UTC, the table's CT_TIMESTAMP

# the farm the tutorial's Refresh connects to: its project, a 2-core standard machine
# ("2 core, 7.50GB Mem") and a package for the Clarisse the fake reports (5.0_SP10)
TUTORIAL_FARM = Catalogue(
    projects=("default", "dpool"),
    instance_types=(InstanceType("standard-2", 2, 7.5, flavor="standard", preemptible=True),),
    packages=(
        SoftwarePackage(
            "clarisse-5.0.SP10",
            "clarisse",
            major_version="5",
            minor_version="0",
            release_version="SP10",
        ),
    ),
)


@pytest.fixture
def tutorial(ix, tmp_path, monkeypatch):
    """The tutorial's project and job, built as its Quick start says, with the attribute
    editor's own attributes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TABLE_TIME)
    monkeypatch.setenv("LOGNAME", "farmhand-tester")
    monkeypatch.setenv("USER", "farmhand-tester")
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))  # <temp_dir>
    project = tmp_path / "project" / "shot.project"
    project.parent.mkdir()
    project.write_text("fake project\n")
    ix.reset(str(project))
    from farmhand.plugins.clarisse.attribute_values import (
        set_dynamic_choices,
        set_string_list,
    )
    from farmhand.plugins.clarisse.registration import register

    assert register()  # what startup/clarisse/startup.py runs
    # "Open a scene containing one or more images to be rendered", each rendering to disk
    renders = tmp_path / "renders"
    ix.add_image("project://scene/image1", 1, 50, 1, str(renders / "layerA" / "a.####.exr"))
    ix.add_image("project://scene/image2", 1, 50, 1, str(renders / "layerB" / "b.####.exr"))
    # the reference's scan example: 130 background images read by a texture map that starts
    # 100 frames in (offset -100), and a context referencing another project (not scanned)
    textures = project.parent / "textures"
    textures.mkdir()
    for frame in range(1, 131):
        (textures / "bg.{:04d}.jpg".format(frame)).write_text("x")
    open_hint = ix.OfAttr.VISUAL_HINT_FILENAME_OPEN
    ix.add_item(
        "project://scene/background",
        "TextureMapFile",
        {
            "filename": ("string", "$PDIR/textures/bg.####.jpg", open_hint),
            "sequence_mode": ("long", 1),
            "frame_offset": ("long", -100),
        },
    )
    ix.add_item(
        "project://scene/set/__context_options__",
        "Generic",
        {"filename": ("string", str(tmp_path / "assets" / "set.project"), open_hint)},
    )
    # "Select the project context. In the right mouse menu, go to New > FarmhandJob."
    item = ix.create_object("farmhand_job", "FarmhandJob", ix.get_current_context())
    full_name = str(item.get_full_name())
    # "Set a title for your job" (the reference's $CT_PDIR $CT_JOB $CT_SEQUENCE expression)
    item.get_attribute("title").set_string("<pdir> <job> <sequence>")
    # "Click Add in the Images section to choose some images to be rendered."
    ix.set_images(full_name, "project://scene/image1", "project://scene/image2")
    # "Press the Refresh button": Connect fills the menus and the packages from the farm
    # (Connect itself runs against a real local farm in test_actions.py)
    set_dynamic_choices(item.get_attribute("project"), list(TUTORIAL_FARM.projects), "")
    set_dynamic_choices(
        item.get_attribute("instance_type"), [i.name for i in TUTORIAL_FARM.instance_types], ""
    )
    set_string_list(item.get_attribute("packages"), ["clarisse-5.0.SP10"])
    # "Choose a project from the Project drop-down menu."
    item.get_attribute("project").set_long(2)  # dpool
    # "turn on Use Custom Frames and enter 1-10 in the Custom Frames field."
    item.get_attribute("use_custom_frames").set_bool(True)
    item.get_attribute("custom_frames").set_string("1-10")
    # "Set Chunk Size to 2."
    item.get_attribute("chunk_size").set_long(2)
    # "Turn on Use Scout Frames and enter 3,8 in Scout Frames field."
    item.get_attribute("use_scout_frames").set_bool(True)
    item.get_attribute("scout_frames").set_string("3,8")
    # "choose it in the Instance Type drop-down menu"; preemptible and retries as the table
    item.get_attribute("instance_type").set_long(1)
    item.get_attribute("preemptible").set_bool(True)
    item.get_attribute("retries").set_long(3)
    from farmhand.plugins.clarisse.adapter import ClarisseAdapter
    from farmhand.plugins.clarisse.job_node import ClarisseJobNode

    adapter = ClarisseAdapter()
    return adapter, ClarisseJobNode(full_name), tmp_path


def recorded_job(adapter, node, root):
    """What the golden file holds for the tutorial's job."""
    submission = adapter.build(node, None, TUTORIAL_FARM)
    plan = submission.plan
    tokens = job_token_values(
        submission.settings,
        submission.context,
        plan,
        plan.frames,
        submission.instance_type,
        submission.instance,
        submission.timestamp,
    )
    last = list(plan.chunks)[-1]
    getters = chunk_value_getters(len(submission.context.sources))
    task_tokens = {name: get(last) for name, get in getters.items()}
    recorded = {
        "frames_info": node.item().get_attribute("frames_info").get_string(),
        "tokens": {"<{}>".format(k): v for k, v in tokens.items()},
        "last_task_tokens": {"<{}>".format(k): v for k, v in task_tokens.items()},
        "payload": json.loads(submission.payload_json()),
        "validation": [
            "{}: {}".format(message.level, message) for message in submission.validation
        ],
    }
    return normalized(recorded, str(root))


def normalized(value, root):
    if isinstance(value, str):
        return value.replace(root, "$ROOT")
    if isinstance(value, list):
        return [normalized(item, root) for item in value]
    if isinstance(value, dict):
        return {key: normalized(item, root) for key, item in value.items()}
    return value


def test_the_tutorials_job_gives_the_golden_payload(tutorial):
    adapter, node, root = tutorial
    recorded = recorded_job(adapter, node, root)
    if UPDATE:
        os.makedirs(os.path.dirname(GOLDEN), exist_ok=True)
        with open(GOLDEN, "w") as handle:
            json.dump(recorded, handle, indent=2)
            handle.write("\n")
    with open(GOLDEN) as handle:
        assert recorded == json.load(handle)


def test_the_golden_job_is_the_one_the_tutorial_describes(tutorial):
    """The tutorial's own words and table, checked one by one (the golden file could be
    regenerated wrong; these cannot)."""
    adapter, node, root = tutorial
    recorded = recorded_job(adapter, node, root)
    # "the Frames Info attribute has updated to let you know which frames will be submitted,
    # and how many will be scouted first"
    assert recorded["frames_info"] == "10 frames, 5 tasks (chunk size 2), 2 scout frames in 2 tasks"
    tokens = recorded["tokens"]
    # the variable table, value for value where the tutorial's job determines it
    assert {
        k: tokens["<{}>".format(k)]
        for k in (
            "sequencelength",
            "sequence",
            "sequencemin",
            "sequencemax",
            "cores",
            "flavor",
            "instance",
            "preemptible",
            "retries",
            "scout",
            "chunksize",
            "chunkcount",
            "scoutcount",
            "timestamp",
            "project",
        )
    } == {
        "sequencelength": 10,
        "sequence": "1-10",
        "sequencemin": 1,
        "sequencemax": 10,
        "cores": 2,
        "flavor": "standard",
        "instance": "2 core, 7.50GB Mem",
        "preemptible": "preemptible",
        "retries": 3,
        "scout": "3-8x5",
        "chunksize": 2,
        "chunkcount": 5,
        "scoutcount": 2,
        "timestamp": "2019_05_07_01_12_46",
        "project": "dpool",
    }
    assert tokens["<job>"] == tokens["<submitter>"] == "farmhand_job"
    assert tokens["<sources>"] == "project://scene/image1 project://scene/image2"
    assert tokens["<directories>"] == '"$ROOT/renders/layerA" "$ROOT/renders/layerB"'
    assert tokens["<pdir>"] == "$ROOT/project"
    assert tokens["<render_package>"] == '"$ROOT/project/shot_farmhand_farmhand_job.render"'
    assert recorded["last_task_tokens"] == {
        "<chunks>": "9:10 9:10",
        "<chunklength>": 2,
        "<chunkstart>": 9,
        "<chunkend>": 10,
        "<chunkstep>": 1,
        "<chunktype>": "regular",
        "<tile_number>": 1,
    }
    payload = recorded["payload"]
    # "Set a title" with the reference's expression: the folder, the item, the frames
    assert payload["job_title"] == "$ROOT/project farmhand_job 1-10"
    assert payload["project"] == "dpool" and payload["instance_type"] == "standard-2"
    assert payload["preemptible"] is True
    assert payload["software_package_ids"] == ["clarisse-5.0.SP10"]
    assert payload["chunk_size"] == 2
    # 5 tasks of 2 frames, every image given the chunk; scouts: the tasks holding 3 and 8
    assert [task["frames"] for task in payload["tasks_data"]] == [
        "1-2",
        "3-4",
        "5-6",
        "7-8",
        "9-10",
    ]
    assert payload["tasks_data"][-1]["command"] == (
        'cnode "$ROOT/project/shot_farmhand_farmhand_job.render" -image project://scene/image1 '
        "project://scene/image2 -image_frames_list 9:10 9:10 -tile_rendering 1 1"
    )
    assert payload["scout_frames"] == "3,8"
    # results come back to the folder holding both images' folders
    assert payload["output_path"] == "$ROOT/renders"
    # the smart scan sends the render package and the backgrounds frames 1-10 read (0101-0110)
    # and nothing of the referenced project
    assert payload["upload_paths"] == ["$ROOT/project/shot_farmhand_farmhand_job.render"] + [
        "$ROOT/project/textures/bg.{:04d}.jpg".format(frame) for frame in range(101, 111)
    ]
    assert not [m for m in recorded["validation"] if m.startswith(("error", "warning"))]


def test_preview_without_qt_writes_the_golden_payload(tutorial, ix, no_qt):
    """The tutorial's Preview button: without Qt it writes the exact payload next to the render
    package; with the farm's catalogue unknown (no Connect in this session) the payload is the
    same."""
    adapter, node, root = tutorial
    ix.press(node.full_name, "preview")
    written = root / "project" / "shot_farmhand_farmhand_job.render.payload.json"
    with open(str(written)) as handle:
        payload = normalized(json.load(handle), str(root))
    with open(GOLDEN) as handle:
        assert payload == json.load(handle)["payload"]
