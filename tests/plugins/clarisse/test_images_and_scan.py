"""What a FarmhandJob renders (its images: their own ranges, outputs, <chunks> once per image),
the render package (a .render archive; image ranges widened for custom frames, then put back),
the Frames Info line, and the files the project reads (sequence offsets, references to other
projects left out)."""

import json
import os

import pytest

from farmhand.core.deps import FileReference


@pytest.fixture
def shot(adapter, ix, tmp_path):
    """Two images with different ranges, rendering under $PDIR/renders."""
    ix.add_image("project://scene/beauty", 1, 10, 1, "$PDIR/renders/beauty/beauty.####.exr")
    ix.add_image("project://scene/fx", 5, 20, 5, "/renders/fx/fx.####.exr")
    node = adapter.new_job("job")
    ix.set_images(node.full_name, "project://scene/beauty", "project://scene/fx")
    return node


def test_each_image_renders_its_own_range_and_the_job_their_union(adapter, shot, project):
    assert adapter.node_frame_range(shot) == "1-10,15,20"
    outputs = adapter.outputs(shot)
    assert outputs.sources == ["project://scene/beauty", "project://scene/fx"]
    assert outputs.directories == [
        os.path.join(str(project.parent), "renders", "beauty"),
        "/renders/fx",
    ]


def test_tasks_pass_every_image_the_chunk(adapter, shot):
    settings = shot.read_settings()
    settings.frames = adapter.node_frame_range(shot)  # what new_job stores, images set after
    settings.chunk_size = 5
    settings.instance_type = "standard-2"
    shot.write_settings(settings)
    submission = adapter.build(shot)
    assert [task["frames"] for task in submission.tasks] == ["1-5", "6-10", "15-20x5"]
    assert submission.tasks[0]["command"] == (
        'cnode "{}" -image project://scene/beauty project://scene/fx -image_frames_list '
        "1:5 1:5 -tile_rendering 1 1".format(submission.context.render_package)
    )


def test_the_render_package_is_a_render_archive_next_to_the_project(adapter, shot, project):
    submission = adapter.build(shot)
    package = submission.context.render_package
    assert package == str(project.parent / "shot010_farmhand_job.render")
    assert os.path.isfile(package) and package in submission.upload_files


def test_custom_frames_widen_the_image_ranges_in_the_package_only(adapter, shot, ix):
    settings = shot.read_settings()
    settings.use_custom_frames, settings.frames = True, "-5-30"
    shot.write_settings(settings)
    package = adapter.build(shot).context.render_package
    with open(package) as handle:
        written = json.load(handle)
    assert [
        written["project://scene/fx"][k] for k in ("first_frame", "last_frame", "frame_step")
    ] == [
        -5,
        30,
        1,
    ]
    fx = ix.get_item("project://scene/fx")
    assert [
        fx.get_attribute(k).get_long() for k in ("first_frame", "last_frame", "frame_step")
    ] == [
        5,
        20,
        5,
    ]


def test_a_failed_archive_names_the_file(adapter, shot, ix, project):
    ix.state().archive_fails = True
    from farmhand.core.host import HostError

    with pytest.raises(HostError) as caught:
        adapter.build(shot)
    assert str(caught.value) == (
        "render package: Clarisse could not write the render archive {} (see its log)".format(
            project.parent / "shot010_farmhand_job.render"
        )
    )


def test_an_image_not_rendered_to_disk_has_no_output_folder(adapter, ix):
    ix.add_image("project://scene/look", 1, 1, 1, "/renders/look.exr", render_to_disk=False)
    node = adapter.new_job("job")
    ix.set_images(node.full_name, "project://scene/look")
    assert adapter.outputs(node) == (["project://scene/look"], [])


def test_frames_info_follows_the_attributes(adapter, shot, ix):
    item = shot.item()
    item.get_attribute("use_custom_frames").set_bool(True)
    assert not item.get_attribute("custom_frames").hidden
    item.get_attribute("custom_frames").set_string("1-100")
    item.get_attribute("chunk_size").set_long(33)
    item.get_attribute("scout_frames").set_string("1,50")
    assert item.get_attribute("frames_info").get_string() == (
        "100 frames, 4 tasks (chunk size 33), 2 scout frames in 2 tasks"
    )
    assert ix.press(shot.full_name, "best_chunk_size") is None
    assert item.get_attribute("chunk_size").get_long() == 25
    assert (
        item.get_attribute("frames_info")
        .get_string()
        .startswith("100 frames, 4 tasks (chunk size 25)")
    )
    item.get_attribute("custom_frames").set_string("1-10x")
    assert (
        item.get_attribute("frames_info")
        .get_string()
        .startswith("- custom_frames: invalid frame spec")
    )
    item.get_attribute("use_scout_frames").set_bool(False)
    assert item.get_attribute("scout_frames").hidden


def test_the_scan_keeps_sequences_with_their_offsets(adapter, ix, project, tmp_path):
    backgrounds = tmp_path / "bg"
    backgrounds.mkdir()
    for frame in range(1, 1001):
        (backgrounds / "bg.{:04d}.jpg".format(frame)).write_text("x")
    ix.state().variables["TEX"] = str(backgrounds)
    ix.add_item(
        "project://scene/background",
        "TextureMapFile",
        {
            "filename": ("string", "$TEX/bg.####.jpg", ix.OfAttr.VISUAL_HINT_FILENAME_OPEN),
            "sequence_mode": ("long", 1),
            "frame_offset": ("long", -100),
        },
    )
    ix.add_item(
        "project://scene/rock",
        "GeometryAbcMesh",
        {"filename": ("string", "geo/rock.abc", ix.OfAttr.VISUAL_HINT_FILENAME_OPEN)},
    )
    assert adapter.file_references() == [
        FileReference(str(backgrounds / "bg.####.jpg"), -100),
        FileReference(os.path.join(str(project.parent), "geo", "rock.abc"), 0),
    ]
    # the seeds' example: a 20-frame shot reads background frames 0101 to 0120
    node = adapter.new_job("job")
    settings = node.read_settings()
    settings.use_custom_frames, settings.frames = True, "1-20"
    settings.instance_type = "standard-2"
    node.write_settings(settings)
    names = [os.path.basename(p) for p in adapter.build(node).upload_files if "bg." in p]
    assert names == ["bg.{:04d}.jpg".format(frame) for frame in range(101, 121)]


def test_the_scan_leaves_out_outputs_disabled_items_jobs_and_project_references(adapter, ix):
    open_hint = ix.OfAttr.VISUAL_HINT_FILENAME_OPEN
    ix.add_image("project://scene/beauty", save_as="/renders/beauty.####.exr")
    off = ix.add_item(
        "project://scene/off", "TextureMapFile", {"filename": ("string", "/tex/off.tx", open_hint)}
    )
    off.disabled = True
    ix.add_item(
        "project://scene/set/__context_options__",
        "Generic",
        {"filename": ("string", "/assets/set.project", open_hint)},
    )
    ix.add_item(
        "project://scene/set/ground",
        "TextureMapFile",
        {"filename": ("string", "/assets/tex/ground.<UDIM>.tx", open_hint)},
    )
    private = ix.add_item(
        "project://scene/p", "TextureMapFile", {"filename": ("string", "/tex/p.tx", open_hint)}
    )
    private.get_attribute("filename").private = True
    node = adapter.new_job("job")
    node.item().get_attribute("output_path").hint = open_hint  # even a file-like job attribute
    node.item().get_attribute("output_path").set_string("/renders")
    assert adapter.file_references() == [FileReference("/assets/tex/ground.<UDIM>.tx", 0)]


def test_udim_tiles_are_expanded_to_the_files_on_disk(adapter, ix, tmp_path):
    for tile in (1001, 1002):
        (tmp_path / "wall.{}.tx".format(tile)).write_text("x")
    ix.add_item(
        "project://scene/wall",
        "TextureMapFile",
        {
            "filename": (
                "string",
                str(tmp_path / "wall.<UDIM>.tx"),
                ix.OfAttr.VISUAL_HINT_FILENAME_OPEN,
            )
        },
    )
    assert [r.path for r in adapter.file_references()] == [
        str(tmp_path / "wall.1001.tx"),
        str(tmp_path / "wall.1002.tx"),
    ]


def test_software_is_clarisse_in_the_catalogues_spelling(adapter, ix):
    ix.state().version_name = "5.0_SP10"
    assert [(p.product, p.version) for p in adapter.software()] == [("clarisse", "5.0.SP10")]


def test_an_image_that_renders_to_no_file_is_an_error_naming_it(adapter, ix):
    ix.add_image("project://scene/look", 1, 2, 1, "/renders/look.####.exr", render_to_disk=False)
    ix.add_image("project://scene/matte", 1, 2, 1, "  ")
    ix.add_image("project://scene/beauty", 1, 2, 1, "/renders/beauty.####.exr")
    node = adapter.new_job("job")
    ix.set_images(
        node.full_name, "project://scene/look", "project://scene/matte", "project://scene/beauty"
    )
    submission = adapter.build(node)
    assert [str(m) for m in submission.errors if m.field == "images"] == [
        "images: project://scene/look does not render to disk: turn on its Render To Disk and "
        "set a file name in Save As",
        "images: project://scene/matte has no file name in Save As: set the file it renders to",
    ]
    from farmhand.core.errors import InputError

    with pytest.raises(InputError):  # a submit stops on it
        submission.check()


def test_added_images_fill_an_empty_output_path_with_their_common_folder(adapter, ix, project):
    ix.add_image("project://scene/a", save_as="$PDIR/renders/layerA/a.####.exr")
    ix.add_image("project://scene/b", save_as="$PDIR/renders/layerB/b.####.exr")
    ix.add_image("project://scene/c", save_as="/elsewhere/c.####.exr")
    node = adapter.new_job("job")
    assert node.read_settings().output_path == ""  # no images yet
    ix.set_images(node.full_name, "project://scene/a", "project://scene/b")
    assert node.read_settings().output_path == str(project.parent / "renders")
    # images with nothing in common but the root leave an empty path empty
    node.item().get_attribute("output_path").set_string("")
    ix.set_images(node.full_name, "project://scene/a", "project://scene/c")
    assert node.read_settings().output_path == ""
    # a path the artist set is kept
    node.item().get_attribute("output_path").set_string("/show/renders")
    ix.set_images(node.full_name, "project://scene/b")
    assert node.read_settings().output_path == "/show/renders"
