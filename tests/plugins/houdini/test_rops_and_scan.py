"""What a FarmhandJob renders (the ROPs wired into it: their frames, outputs and renderers) and
what the scene reads (hou.fileReferences, outputs and non-files left out, $F kept, UDIMs
expanded)."""

import os

from farmhand.core.catalogue import Catalogue, SoftwarePackage
from farmhand.core.deps import FileReference


def wire(hou, job_path, *rop_paths):
    job = hou.node(job_path)
    for index, path in enumerate(rop_paths):
        job.setInput(index, hou.node(path))


def test_a_job_renders_its_input_rops_each_over_its_own_range(adapter, hou, tmp_path):
    hou.add_node(
        "/out/beauty", "ifd", {"f": (1.0, 10.0, 1.0), "vm_picture": "$HIP/render/beauty.$F4.exr"}
    )
    hou.add_node("/out/fx", "karma", {"f": (5.0, 20.0, 5.0), "picture": "/renders/fx/fx.$F4.exr"})
    node = adapter.new_job("job")
    wire(hou, "/out/job", "/out/beauty", "/out/fx", "/out/beauty")
    assert adapter.node_frame_range(node) == "1-10,15,20"
    outputs = adapter.outputs(node)
    hip = os.path.dirname(hou.state().hip)
    assert outputs.sources == ["/out/beauty", "/out/fx"]
    assert outputs.directories == [os.path.join(hip, "render"), "/renders/fx"]
    context = adapter.context(node)
    assert context.frames == "1-10,15,20" and context.sources == ["/out/beauty", "/out/fx"]


def test_a_rop_on_the_current_frame_renders_that_frame(adapter, hou):
    hou.add_node("/out/still", "ifd", {"trange": 0, "f": (1.0, 100.0, 1.0)})
    hou.state().frame = 42.0
    node = adapter.new_job("job")
    wire(hou, "/out/job", "/out/still")
    assert adapter.node_frame_range(node) == "42"


def test_nothing_wired_renders_the_playbar_range_and_writes_nowhere(adapter, hou):
    hou.state().playbar = (1001.0, 1100.0)
    node = adapter.new_job("job")
    assert adapter.node_frame_range(node) == "1001-1100"
    assert adapter.outputs(node) == ([], [])


def test_rops_writing_to_mplay_or_nothing_known_have_no_output_folder(adapter, hou):
    hou.add_node("/out/preview", "ifd", {"vm_picture": "ip"})
    hou.add_node("/out/merge", "merge")
    node = adapter.new_job("job")
    wire(hou, "/out/job", "/out/preview", "/out/merge")
    assert adapter.outputs(node) == (["/out/preview", "/out/merge"], [])


def test_the_scan_keeps_frame_variables_and_expands_everything_else(adapter, hou, tmp_path):
    hou.state().variables["JOB"] = "/projects/show"
    hou.add_node("/obj/geo/file1", "file", {"file": "$JOB/cache/sim.${F4}.bgeo.sc"}, "Sop")
    hou.add_node("/obj/geo/file2", "file", {"file": "$HIP/geo/rock.$F.bgeo"}, "Sop")
    hou.add_node("/obj/geo/abc", "alembic", {"fileName": "geo/anim.abc"}, "Sop")
    hou.add_node("/obj/geo/file3", "file", {"file": "/cache/motion.$FF.bgeo"}, "Sop")
    hou.state().frame = 7.0
    hip = os.path.dirname(hou.state().hip)
    assert adapter.file_references() == [
        FileReference("/projects/show/cache/sim.$F4.bgeo.sc"),
        FileReference(os.path.join(hip, "geo", "rock.$F.bgeo")),
        FileReference(os.path.join(hip, "geo", "anim.abc")),
        FileReference("/cache/motion.$F.bgeo"),
    ]


def test_the_scan_leaves_out_outputs_jobs_and_what_is_not_a_file(adapter, hou):
    hou.add_node("/out/beauty", "ifd", {"vm_picture": "/renders/beauty.$F4.exr"})
    hou.add_node("/out/rs", "Redshift_ROP", {"RS_outputFileNamePrefix": "/renders/rs.$F4.exr"})
    hou.add_node("/obj/geo/out", "rop_geometry", {"sopoutput": "/cache/out.$F4.bgeo"}, "Sop")
    hou.add_node("/obj/geo/op", "file", {"file": "op:/obj/other/OUT"}, "Sop")
    hou.add_node("/obj/geo/def", "file", {"file": "opdef:/Sop/thing?geo.bgeo"}, "Sop")
    hou.add_node("/obj/geo/real", "file", {"file": "/cache/real.bgeo"}, "Sop")
    adapter.new_job("job")
    job_parm = hou.node("/out/job").parm("output_path")
    hou.state().extra_references = [(job_parm, "/renders"), (None, "/lib/asset.hda")]
    assert adapter.file_references() == [
        FileReference("/cache/real.bgeo"),
        FileReference("/lib/asset.hda"),
    ]


def test_udim_tiles_are_expanded_to_the_files_on_disk(adapter, hou, tmp_path):
    textures = tmp_path / "tex"
    textures.mkdir()
    for tile in (1001, 1002, 1011):
        (textures / "wood.{}.rat".format(tile)).write_text("t")
    (textures / "wood.other.rat").write_text("t")
    hou.add_node(
        "/obj/geo/map", "attribfrommap", {"filemap": str(textures / "wood.<UDIM>.rat")}, "Sop"
    )
    hou.add_node("/obj/geo/old", "file", {"file": str(textures / "wood.%(UDIM)d.rat")}, "Sop")
    assert [reference.path for reference in adapter.file_references()] == [
        str(textures / "wood.{}.rat".format(tile)) for tile in (1001, 1002, 1011)
    ]


def test_houdini_and_renderer_plugins_are_detected_with_their_versions(adapter, hou):
    hou.add_node("/out/rs", "Redshift_ROP")
    hou.add_node("/out/ar", "arnold")
    hou.add_node("/out/mantra", "ifd")
    adapter.new_job("job")
    wire(hou, "/out/job", "/out/rs", "/out/ar", "/out/mantra")
    found = adapter.software()
    assert [
        (p.product, p.version, p.plugin_host_product, p.plugin_host_version) for p in found
    ] == [
        ("houdini", "20.5.410", "", ""),
        ("redshift-houdini", "3.5.16", "houdini", "20.5.410"),
        ("arnold-houdini", "6.3.1.0", "houdini", "20.5.410"),
    ]
    catalogue = Catalogue(
        packages=[
            SoftwarePackage("h205", "houdini", "20", "5", "410"),
            SoftwarePackage("h200", "houdini", "20", "0", "600"),
            SoftwarePackage(
                "rs",
                "redshift-houdini",
                "3",
                "5",
                "16",
                plugin_host_product="houdini",
                plugin_host_version="20.5",
            ),
        ]
    )
    assert adapter.detect_package_ids(catalogue) == ["h205", "rs"]


def test_a_renderer_whose_version_cannot_be_read_is_reported_as_0(hou):
    from farmhand.plugins.houdini.software import version_in_path

    assert version_in_path("/opt/htoa/htoa-6.3.1.0_r1/otls", "htoa") == "6.3.1.0"
    assert version_in_path("C:\\redshift\\3.5.16\\dso", "redshift") == "3.5.16"
    assert version_in_path("/opt/plugins/dso/thing.so", "redshift") == ""
    hou.register_type(
        hou.NodeType(hou.ropNodeTypeCategory(), "vray_renderer", [], "/usr/lib/vray.so")
    )
    rop = hou.add_node("/out/vr", "vray_renderer")
    from farmhand.plugins.houdini.software import renderer_package

    assert renderer_package(rop).version == "0"


def test_frame_variables_are_evaluated_for_the_jobs_frames(adapter, hou):
    """``$F4``/``$F``/``${F4}`` in a file the scene reads: the job uploads the files of its own
    frames (smart scan), or every file of the sequence on disk (glob)."""
    hip = os.path.dirname(hou.state().hip)
    cache = os.path.join(hip, "cache")
    os.makedirs(cache)
    for frame in range(1, 21):
        for name in ("sim.{:04d}.bgeo.sc", "fx.{}.bgeo", "wet.{:04d}.bgeo"):
            with open(os.path.join(cache, name.format(frame)), "w") as handle:
                handle.write("x")
    hou.add_node("/obj/geo/sim", "file", {"file": "$HIP/cache/sim.$F4.bgeo.sc"}, "Sop")
    hou.add_node("/obj/geo/fx", "file", {"file": "$HIP/cache/fx.$F.bgeo"}, "Sop")
    hou.add_node("/obj/geo/wet", "file", {"file": "$HIP/cache/wet.${F4}.bgeo"}, "Sop")
    hou.add_node("/out/beauty", "ifd", {"f": (1.0, 20.0, 1.0)})
    node = adapter.new_job("job")
    wire(hou, "/out/job", "/out/beauty")
    settings = node.read_settings()
    settings.use_custom_frames, settings.frames = True, "3-4,9"
    settings.instance_type = "standard-2"
    node.write_settings(settings)
    uploads = [p for p in adapter.build(node).upload_files if "/cache/" in p]
    assert sorted(os.path.basename(p) for p in uploads) == sorted(
        name
        for frame in (3, 4, 9)
        for name in (
            "sim.{:04d}.bgeo.sc".format(frame),
            "fx.{}.bgeo".format(frame),
            "wet.{:04d}.bgeo".format(frame),
        )
    )
    settings.dependency_scan_policy = "glob"
    node.write_settings(settings)
    uploads = [p for p in adapter.build(node).upload_files if "/cache/" in p]
    assert len(uploads) == 60
