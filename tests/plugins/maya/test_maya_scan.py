"""What the Maya adapter finds a scene reads: each kind of node with its frames and tiles."""

import os

import pytest

from farmhand.core.deps import FileReference


def refs(adapter):
    return adapter.file_references()


def test_a_plain_texture_relative_to_the_project_and_with_a_variable(
    adapter, maya, project, monkeypatch
):
    monkeypatch.setenv("TEXTURES", str(project / "shared"))
    maya.file_texture("wood", "sourceimages/wood.png")
    maya.file_texture("steel", "$TEXTURES/steel.png")
    maya.file_texture("empty", "")
    assert refs(adapter) == [
        FileReference(str(project / "sourceimages" / "wood.png")),
        FileReference(str(project / "shared" / "steel.png")),
    ]


def test_udim_and_zbrush_tiles_are_the_files_on_disk(adapter, maya, project, make_file):
    for tile in (1001, 1002, 1011):
        make_file(project / "sourceimages" / "skin.{}.exr".format(tile))
    make_file(project / "sourceimages" / "skin.1001.tx")
    for u in (0, 1):
        make_file(project / "sourceimages" / "dirt_u{}_v0.png".format(u))
    maya.file_texture("skin", str(project / "sourceimages" / "skin.1001.exr"), tiling=3)
    maya.file_texture("dirt", "sourceimages/dirt_u0_v0.png", tiling=1)
    maya.file_texture("gone", "sourceimages/gone.1001.exr", tiling=3)
    folder = project / "sourceimages"
    assert refs(adapter) == [
        FileReference(str(folder / "skin.1001.exr")),
        FileReference(str(folder / "skin.1002.exr")),
        FileReference(str(folder / "skin.1011.exr")),
        FileReference(str(folder / "dirt_u0_v0.png")),
        FileReference(str(folder / "dirt_u1_v0.png")),
        FileReference(str(folder / "gone.<UDIM>.exr")),  # reported missing by that name
    ]


def test_an_animated_texture_is_a_sequence_with_its_frame_offset(adapter, maya, project):
    # frame extension on, offset 100: frame 1 of the shot reads plate.0101.exr
    maya.file_texture("plate", "sourceimages/plate.0101.exr", frames=True, offset=100)
    maya.file_texture("short", "sourceimages/short.7.exr", frames=True)
    assert refs(adapter) == [
        FileReference(str(project / "sourceimages" / "plate.####.exr"), -100),
        FileReference(str(project / "sourceimages" / "short.#.exr"), 0),
    ]


def test_animated_udim_tiles(adapter, maya, project, make_file):
    for tile in (1001, 1002):
        for frame in (1, 2):
            make_file(project / "tex" / "fx.{}.{:04d}.exr".format(tile, frame))
    maya.file_texture("fx", "tex/fx.1001.0001.exr", tiling=3, frames=True)
    assert refs(adapter) == [
        FileReference(str(project / "tex" / "fx.1001.####.exr")),
        FileReference(str(project / "tex" / "fx.1002.####.exr")),
    ]


def test_maya_nodes_image_planes_references_caches_audio(adapter, maya, project):
    maya.add(
        "imagePlane",
        "plateShape",
        imageName="/plates/bg.0001.jpg",
        useFrameExtension=True,
        frameOffset=-10,
    )
    maya.add("imagePlane", "refShape", imageName="/plates/board.jpg")
    maya.reference("charRN", "/assets/char.ma")
    maya.reference("charRN1", "/assets/char.ma{1}")  # the same file referenced twice
    maya.reference("propRN", "/assets/prop.mb")
    maya.add("AlembicNode", "anim_abc", abc_File="/caches/anim.abc")
    maya.add("gpuCache", "cityShape", cacheFileName="caches/city.abc")
    maya.add("audio", "dialog", filename="/sound/dialog.wav")
    assert refs(adapter) == [
        FileReference("/plates/bg.####.jpg", 10),
        FileReference("/plates/board.jpg"),
        FileReference("/caches/anim.abc"),
        FileReference(str(project / "caches" / "city.abc")),
        FileReference("/sound/dialog.wav"),
        FileReference("/assets/char.ma"),
        FileReference("/assets/prop.mb"),
    ]


def test_renderer_nodes_only_when_their_plugin_is_loaded(adapter, maya, make_file, tmp_path):
    maya.load_plugin("mtoa", "5.1.0")
    maya.set_renderer("arnold")
    maya.add("aiOptions", "defaultArnoldRenderOptions")
    texture = make_file(tmp_path / "tex" / "rust.png")
    make_file(tmp_path / "tex" / "rust.tx")
    maya.file_texture("rust", texture)
    maya.add(
        "aiStandIn", "treeShape", dso="/ass/tree.####.ass", useFrameExtension=True, frameOffset=5
    )
    maya.add("aiImage", "hdri", filename="/hdri/sky.exr")
    maya.add("aiVolume", "smokeShape", filename="/vdb/smoke.0001.vdb", useFrameExtension=True)
    maya.add("aiPhotometricLight", "ies", aiFilename="/ies/spot.ies")
    found = refs(adapter)
    assert found == [
        FileReference(texture),
        FileReference(str(tmp_path / "tex" / "rust.tx")),  # Arnold renders the .tx
        FileReference("/ass/tree.####.ass", -5),
        FileReference("/hdri/sky.exr"),
        FileReference("/vdb/smoke.####.vdb"),
        FileReference("/ies/spot.ies"),
    ]
    del maya.plugins["mtoa"]
    assert refs(adapter) == [FileReference(texture)]  # no Arnold, no .tx, no Arnold nodes


def test_redshift_and_vray_nodes(adapter, maya):
    maya.load_plugin("redshift4maya", "3.5.1")
    maya.load_plugin("vrayformaya", "6.0")
    maya.add(
        "RedshiftProxyMesh",
        "crowd",
        fileName="/rs/crowd.0010.rs",
        useFrameExtension=True,
        frameOffset=9,
    )
    maya.add("RedshiftVolumeShape", "cloud", fileName="/rs/cloud.vdb")
    maya.add("RedshiftNormalMap", "bump", tex0="/rs/bump.png")
    maya.add("RedshiftDomeLight", "dome", tex0="/rs/dome.hdr")
    maya.add("RedshiftSprite", "leaf", tex0="/rs/leaf.png")
    maya.add("RedshiftIESLight", "lamp", profile="/rs/lamp.ies")
    maya.add("VRayMesh", "rock", fileName="/vray/rock.vrmesh")
    maya.add("VRayVolumeGrid", "fire", inFile="/vray/fire.aur")
    maya.add("VRayScene", "city", FilePath="/vray/city.vrscene")
    assert refs(adapter) == [
        FileReference("/rs/crowd.####.rs", -9),
        FileReference("/rs/cloud.vdb"),
        FileReference("/rs/bump.png"),
        FileReference("/rs/dome.hdr"),
        FileReference("/rs/leaf.png"),
        FileReference("/rs/lamp.ies"),
        FileReference("/vray/rock.vrmesh"),
        FileReference("/vray/fire.aur"),
        FileReference("/vray/city.vrscene"),
    ]


def test_a_plugin_farmhand_does_not_know_is_found_through_the_file_path_editor(adapter, maya):
    maya.load_plugin("houdiniEngine", "4.0")
    maya.add("houdiniAsset", "tree", otlFilePath="/otls/tree.hda")
    maya.file_texture("wood", "/tex/wood.png")
    assert refs(adapter) == [FileReference("/tex/wood.png"), FileReference("/otls/tree.hda")]


def test_the_ocio_config_when_the_scene_uses_one(adapter, maya, project):
    maya.color_management.update(enabled=True, config_enabled=True, config="ocio/config.ocio")
    assert refs(adapter) == [FileReference(str(project / "ocio" / "config.ocio"))]
    maya.color_management["config_enabled"] = False
    assert refs(adapter) == []


def test_each_file_once(adapter, maya):
    maya.file_texture("a", "/tex/shared.png")
    maya.file_texture("b", "/tex/shared.png")
    maya.add("aiImage", "c", filename="/tex/shared.png")  # mtoa not loaded: not an aiImage
    assert refs(adapter) == [FileReference("/tex/shared.png")]


@pytest.mark.parametrize(
    "path, pattern",
    [
        ("/p/plate.0101.exr", "/p/plate.####.exr"),
        ("/p/plate_v2.12.exr", "/p/plate_v2.##.exr"),
        ("/p/plate.exr", "/p/plate.exr"),
        ("/p/plate.<f>.exr", "/p/plate.#.exr"),
        ("/p/plate.####.exr", "/p/plate.####.exr"),
    ],
)
def test_sequence_patterns(maya, path, pattern):
    from farmhand.plugins.maya.scan import sequence_pattern

    assert sequence_pattern(path) == pattern
    assert os.path.isabs(pattern)
