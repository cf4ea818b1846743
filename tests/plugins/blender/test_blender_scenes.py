"""Scenes built in the real Blender, scanned by the add-on, compared with golden files.

One Blender run builds a .blend per kind of dependency (textures, linked libraries, caches,
media), adds two jobs to each and records the adapter's ``HostContext``, the payload and its
validation; it also runs the host-adapter conformance suite in Blender and exports each job
as a job file. Golden files are regenerated only on purpose:
``FARMHAND_UPDATE_GOLDEN=1 pytest tests/plugins/blender``.
"""

import json
import os

import pytest

from farmhand.core.catalogue import Catalogue
from farmhand.core.host import DetectedPackage, match_packages
from farmhand.core.job import build_job_file

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden")
UPDATE = os.environ.get("FARMHAND_UPDATE_GOLDEN") == "1"
SCENES = ("textures", "linked", "caches", "media")


@pytest.fixture(scope="module")
def scenes(run_blender, tmp_path_factory):
    root = tmp_path_factory.mktemp("blender-scenes")
    return str(root), run_blender("scenes", root)


def normalized(value, root):
    if isinstance(value, str):
        return value.replace(root, "$ROOT")
    if isinstance(value, list):
        return [normalized(item, root) for item in value]
    if isinstance(value, dict):
        return {key: normalized(item, root) for key, item in value.items()}
    return value


@pytest.mark.parametrize("name", SCENES)
def test_scene_matches_golden(scenes, name):
    root, results = scenes
    result = results[name]
    assert "error" not in result, result.get("error")
    recorded = normalized({key: result[key] for key in ("context", "payload", "validation")}, root)
    path = os.path.join(GOLDEN, name + ".json")
    if UPDATE:
        os.makedirs(GOLDEN, exist_ok=True)
        with open(path, "w") as handle:
            json.dump(recorded, handle, indent=2, sort_keys=True)
            handle.write("\n")
    with open(path) as handle:
        assert recorded == json.load(handle)


def test_every_scene_holds_two_jobs(scenes):
    _, results = scenes
    for name in SCENES:
        assert results[name]["jobs"] == ["lighting", "fx"]


def test_the_conformance_suite_passes_in_blender(scenes):
    _, results = scenes
    failed = {name: why for name, why in results["conformance"].items() if why}
    assert not failed
    assert len(results["conformance"]) == 12


def test_the_seeds_smart_sequence_finds_exactly_the_frames_rendered(scenes):
    root, results = scenes
    # bg.0101-0130 on disk, read with offset 100 by a 10-frame shot: 0101-0110 are sent
    uploads = results["textures"]["payload"]["upload_paths"]
    plates = [os.path.basename(p) for p in uploads if "/plates/" in p]
    assert plates == ["bg.{:04d}.png".format(frame) for frame in range(101, 111)]
    # the 3-frame loop holds its last file: all three are sent, none reported missing
    assert [os.path.basename(p) for p in uploads if "/loop/" in p] == [
        "flame_001.png",
        "flame_002.png",
        "flame_003.png",
    ]
    assert (
        "dependencies: {}/textures/tex/deleted.png (file reference): does not exist".format(root)
        in results["textures"]["validation"]
    )


def test_udim_tiles_are_the_images_tiles(scenes):
    _, results = scenes
    uploads = results["textures"]["payload"]["upload_paths"]
    assert [os.path.basename(p) for p in uploads if "/skin." in p] == [
        "skin.1001.png",
        "skin.1002.png",
        "skin.1011.png",
    ]


def test_caches_past_their_range_name_the_files_there_are(scenes):
    root, results = scenes
    uploads = results["caches"]["payload"]["upload_paths"]
    package_caches = [
        os.path.basename(p) for p in uploads if "/blendcache_shot_farmhand_lighting/" in p
    ]
    assert package_caches == ["456D6974746572_{:06d}_00.bphys".format(f) for f in range(1, 11)]
    for name in package_caches:  # hard links to the scene's own cache, no copies
        assert os.path.samefile(
            os.path.join(root, "caches", "blendcache_shot", name),
            os.path.join(root, "caches", "blendcache_shot_farmhand_lighting", name),
        )
    assert [os.path.basename(p) for p in uploads if "/vdb/" in p] == [
        "smoke_{:04d}.vdb".format(f) for f in range(1, 6)
    ]
    assert not [m for m in results["caches"]["validation"] if "dependencies" in m]


def test_the_render_package_is_a_copy_next_to_the_scene(scenes):
    root, results = scenes
    for name in SCENES:
        package = results[name]["context"]["render_package"]
        assert package == os.path.join(
            os.path.dirname(results[name]["scene"]), "shot_farmhand_lighting.blend"
        )
        assert os.path.isfile(package)
        assert package in results[name]["payload"]["upload_paths"]


def test_the_detected_blender_is_the_local_farms_blender_package(scenes):
    from farmhand.farm.machine import package_id, probe_software

    _, results = scenes
    detected = [DetectedPackage(*item) for item in results["textures"]["software"]]
    assert detected[0].product == "blender" and detected[0].version == results["blender"]
    ids, unmatched = match_packages(detected, Catalogue(packages=tuple(probe_software())))
    assert ids == [package_id("blender", results["blender"])] and unmatched == []


@pytest.mark.parametrize("name", SCENES)
def test_the_exported_job_file_gives_the_cli_the_same_payload(scenes, name, like_blender):
    _, results = scenes
    cli = json.loads(build_job_file(results[name]["exported"]).payload_json())
    assert cli == results[name]["payload"]
