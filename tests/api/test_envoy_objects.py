"""farmhand.api.envoy without a farm: jobs, projects, watch files, the resolver, the local
catalogue's products and machines, the render commands and the farm payload of a project.
Runs on every host Python (3.7 to 3.13)."""

import os

import pytest

from farmhand.api.envoy import (
    APIError,
    ApIError,
    AuthenticationError,
    EnvoyClient,
    InsufficientCreditsError,
    InvalidRequestError,
    Job,
    Project,
    WatchFile,
)
from farmhand.api.envoy.commands import COMMANDS, TaskContext, inputs_path
from farmhand.api.envoy.frames import parse_frame_ranges
from farmhand.api.envoy.local_payload import CORE_SECONDS_PER_CREDIT, build_payload
from farmhand.api.envoy.local_products import LocalProducts, plugin_code, product_code
from farmhand.api.envoy.resolver import Product, ProductResolver
from farmhand.api.envoy.status import project_status
from farmhand.core.catalogue import Catalogue, InstanceType, SoftwarePackage
from farmhand.core.errors import FarmhandError
from farmhand.core.frames import chunk_frames


def blender_job(name="render", **params):
    args = {
        "name": name,
        "app": "blender",
        "app_version": "3.4.1",
        "operation": "render",
        "path": "/proj/scene.blend",
        "instances": 2,
        "frames": "1 10",
        "output_prefix": "beauty.",
        "output_format": "png",
    }
    args.update(params)
    return Job(**args)


@pytest.fixture
def project_dir(tmp_path):
    root = tmp_path / "proj"
    (root / "textures").mkdir(parents=True)
    (root / "scene.blend").write_bytes(b"blend")
    (root / "textures" / "grid.png").write_bytes(b"png")
    (tmp_path / "outside.txt").write_bytes(b"x")
    return root


CATALOGUE = Catalogue(
    projects=("default",),
    instance_types=(
        InstanceType("standard-1", 1, 3.75),
        InstanceType("standard-4", 4, 15.0),
        InstanceType("highmem-4", 4, 26.0, flavor="highmem"),
    ),
    packages=(
        SoftwarePackage("b341", "blender", "3", "4", "1"),
        SoftwarePackage("h195", "houdini", "19", "5", "605"),
        SoftwarePackage("h200", "houdini", "20", "0", "590"),
        SoftwarePackage(
            "rs1", "redshift", "3", "5", "16", plugin_host_product="houdini",
            plugin_host_version="19.5.605",
        ),
        SoftwarePackage(
            "rs2", "redshift", "3", "5", "19", plugin_host_product="houdini",
            plugin_host_version="20.0.590",
        ),
        SoftwarePackage(
            "ar1", "arnold", "6", "2", "", plugin_host_product="houdini",
            plugin_host_version="19.5.605",
        ),
    ),
)


# -- errors -----------------------------------------------------------------------------------


def test_the_four_errors_are_farmhand_errors_with_the_seeds_attributes():
    for cls in (AuthenticationError, InsufficientCreditsError, InvalidRequestError, APIError):
        error = cls("went wrong")
        assert isinstance(error, FarmhandError)
        assert error.user_message == "went wrong"
    assert ApIError is APIError
    error = InvalidRequestError("bad", field="frames", errors={"frames": "bad"})
    assert str(error) == "frames: bad" and error.errors == {"frames": "bad"}
    assert isinstance(error, ValueError)


# -- jobs -------------------------------------------------------------------------------------


def test_a_job_keeps_its_parameters_and_serializes_as_the_seed_client_does(project_dir):
    job = blender_job(engine="cycles", gpu=False)
    project = Project(str(project_dir), submission_name="take 1")
    project.add_jobs(job)
    data = job.serialize()
    assert data["app"] == "blender" and data["instances"] == 2
    assert data["params"]["output_dir_name"] == "take 1"
    assert data["params"]["output_upload"] == ["/proj/render_results/take 1/.+"]
    assert data["params"]["billing_meta"] == ["blender"]
    assert list(job.frame_spec) == list(range(1, 11))
    assert job.operation == "render"
    assert Job.CREDITS_BUDGET_ACTION_SUSPEND == "suspend"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"app": "max"}, "app: unknown product type 'max'; valid product types: blender (Blender)"),
        ({"name": " "}, "name: expected a job name, got ' '"),
        ({"app_version": ""}, "app_version: expected a Blender version (see the product resolver)"),
        ({"operation": "sim"}, "operation: Blender jobs support the operations render, not 'sim'"),
        ({"path": ""}, "path: expected the Blender file to run, relative to the project's"),
        ({"path": "proj\\scene.blend"}, "path: remote paths use forward slashes"),
        ({"instances": 0}, "instances: expected a whole number of at least 1, got 0"),
        ({"machine_type": 5}, "machine_type: expected a machine type id (see get_machines)"),
        ({"plugins": [1]}, "plugins: expected a list of plugin codes (like ['mtoa']), got [1]"),
        ({"resolution": 5}, "resolution: unknown parameter for Blender jobs; valid parameters:"),
        ({"output_format": 5}, "output_format: expected a string, got 5"),
        ({"gpu": "yes"}, "gpu: expected true or false, got 'yes'"),
        ({"frames": "1 x"}, "frames: fragment 1 '1 x' of '1 x' is not 'start [end] [step]'"),
    ],
)
def test_bad_jobs_name_the_field(change, message):
    with pytest.raises(InvalidRequestError) as caught:
        blender_job(**change)
    assert message in str(caught.value)


def test_required_and_constrained_parameters_per_application():
    with pytest.raises(InvalidRequestError) as caught:
        Job("c", "c4d", "R19", "render", "/p/s.c4d", frames="1", output_prefix="x",
            output_format="tiff")
    assert str(caught.value) == "output_width: Cinema 4D jobs need output_width, output_height"
    with pytest.raises(InvalidRequestError) as caught:
        Job("v", "vray", "5", "render", "/p/s.vrscene", frames="1", output_prefix="x",
            output_format="exr", output_width=0, output_height=2)
    assert str(caught.value) == "output_width: must be at least 1, got 0"
    with pytest.raises(InvalidRequestError) as caught:
        Job("v", "vray", "5", "render", "/p/s.vrscene", frames="1", output_prefix="x",
            output_format="exr", output_width=2, output_height=2, rt_engine=2)
    assert str(caught.value) == "rt_engine: 2 is not one of 0, 1, 3, 5"
    houdini = Job("h", "hou", "19.5.605", None, "/p/s.hip", frames="1 5",
                  rop_nodetype="ifd", rop_nodepath="/out/mantra1")
    assert houdini.operation == "render"


def test_dependencies_and_budgets():
    one, two, three = blender_job("one"), blender_job("two"), blender_job("three")
    three.add_dependencies(one, two, one)
    assert three.dependencies == [one, two]
    with pytest.raises(InvalidRequestError) as caught:
        three.add_dependencies(three)
    assert str(caught.value) == "dependencies: job 'three' cannot depend on itself"
    with pytest.raises(InvalidRequestError) as caught:
        three.add_dependencies("one")
    assert str(caught.value) == "dependencies: expected Job objects, got 'one'"
    three.set_credits_budget(value=50.00, action=Job.CREDITS_BUDGET_ACTION_SUSPEND)
    assert three.credits_budget == {"value": 50.0, "action": "suspend"}
    for value, action, message in [
        (0, "stop", "credits_budget: expected a number of credits above 0, got 0"),
        (True, "stop", "credits_budget: expected a number of credits above 0, got True"),
        (5, "pause", "credits_budget: unknown action 'pause'; valid actions: stop, suspend, alert"),
    ]:
        with pytest.raises(InvalidRequestError) as caught:
            three.set_credits_budget(value=value, action=action)
        assert message in str(caught.value)


# -- frames -----------------------------------------------------------------------------------


def test_frame_ranges_in_the_seeds_form():
    assert str(parse_frame_ranges("0 0 1")) == "0"
    assert list(parse_frame_ranges("1 10 3,20")) == [1, 4, 7, 10, 20]
    assert list(parse_frame_ranges("5 9 2")) == [5, 7, 9]
    assert list(parse_frame_ranges("-3 -1")) == [-3, -2, -1]


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "expected frame ranges like '1 10' or '1 100 10,200', got ''"),
        ("1 2 3 4", "fragment 1 '1 2 3 4' of '1 2 3 4' is not 'start [end] [step]'"),
        ("1 10,a", "fragment 2 'a' of '1 10,a' is not 'start [end] [step]' (whole numbers)"),
        ("1 10 0", "fragment 1 '1 10 0' of '1 10 0': the step must be at least 1, got 0"),
        ("10 1", "fragment 1 '10 1' of '10 1': the end 1 is before the start 10"),
    ],
)
def test_bad_frame_ranges(text, message):
    with pytest.raises(InvalidRequestError) as caught:
        parse_frame_ranges(text)
    assert str(caught.value) == "frames: " + message


# -- projects ---------------------------------------------------------------------------------


def test_project_names_and_remote_folders(project_dir):
    project = Project(str(project_dir), submission_name="submission 1",
                      output_folder_name="my_results")
    assert project.name == "proj" and project.RemoteRoot == "/proj"
    assert project.LocalRoot == os.path.realpath(str(project_dir))
    assert project.remote_output_folder == "/proj/render_results/my_results"
    named = Project(str(project_dir), "sample_project", project_env={"A": "1"})
    assert named.RemoteRoot == "/sample_project" and named.environment == {"A": "1"}
    assert "/" not in named.output_folder_name  # a timestamp, usable as a folder


def test_only_files_inside_the_project_are_added(project_dir, tmp_path):
    project = Project(str(project_dir))
    project.add_files(project.LocalRoot, project.RemoteRoot, ["scene.blend", "../outside.txt"])
    project.add_files(str(project_dir / "textures"), project.RemoteRoot + "/assets")
    project.add_files(str(tmp_path), project.RemoteRoot)  # a folder outside: left out
    assert project.files == {
        "/proj/scene.blend": str(project_dir / "scene.blend"),
        "/proj/assets/grid.png": str(project_dir / "textures" / "grid.png"),
    }
    assert [why for _, why in project.ignored] == [
        "outside the project folder {}".format(project.LocalRoot)
    ] * 2
    everything = Project(str(project_dir))
    everything.add_files("textures", "/proj/textures")
    everything.add_files(".", "/proj", ["textures"])
    assert sorted(everything.files) == ["/proj/textures/grid.png"]


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda p: p.add_files(p.LocalRoot, "\\proj"),
         "remote_folder: remote folders use forward slashes, got '\\\\proj'"),
        (lambda p: p.add_files(p.LocalRoot, "/other"),
         "remote_folder: '/other' is not the project's remote folder '/proj' or a folder in it"),
        (lambda p: p.add_files(p.LocalRoot, "/proj/../x"),
         "remote_folder: '/proj/../x' is not the project's remote folder"),
        (lambda p: p.add_files(p.LocalRoot, "/proj", ["missing.blend"]),
         "files: missing.blend does not exist (in "),
        (lambda p: p.add_files(p.LocalRoot, "/proj", "scene.blend"),
         "files: expected a list of file or folder names, got 'scene.blend'"),
        (lambda p: p.add_files("nothere", "/proj"), "local_folder: nothere is not a folder"),
        (lambda p: p.add_jobs("job"), "jobs: expected Job objects, got 'job'"),
        (lambda p: p.add_watch_files("x"), "watch_files: expected WatchFile objects, got 'x'"),
    ],
)
def test_bad_project_calls(project_dir, call, message):
    project = Project(str(project_dir))
    with pytest.raises(InvalidRequestError) as caught:
        call(project)
    assert message in str(caught.value)


def test_bad_projects(project_dir):
    cases = [
        (lambda: Project(str(project_dir / "scene.blend")), "project_folder: "),
        (lambda: Project(str(project_dir), "a/b"), "name: 'a/b' is not a valid folder name"),
        (lambda: Project(str(project_dir), output_folder_name=".."),
         "output_folder_name: '..' is not a valid folder name"),
        (lambda: Project(str(project_dir), colour="red"),
         "colour: unknown project parameter; valid: project_summary_log_file"),
        (lambda: Project(str(project_dir), project_env={"A": 1}),
         "project_env: expected variable names and values as strings"),
        (lambda: Project(str(project_dir), project_param=[1]),
         "project_param: expected a dict, got [1]"),
    ]
    for make, message in cases:
        with pytest.raises(InvalidRequestError) as caught:
            make()
        assert message in str(caught.value)
    project = Project(str(project_dir))
    project.add_jobs(blender_job("one"))
    with pytest.raises(InvalidRequestError) as caught:
        project.add_jobs(blender_job("one"))
    assert str(caught.value) == "name: the project already has a job named 'one'"


def test_the_project_as_the_envoy_service_takes_it(project_dir):
    project = Project(str(project_dir), submission_name="s1")
    project.add_files(project.LocalRoot, project.RemoteRoot)
    job = blender_job()
    project.add_jobs(job)
    data = project.serialize()
    assert data["project_request"]["name"] == "proj s1"
    assert data["project_files"] == {
        "localRoot": project.LocalRoot,
        "remoteRoot": "/proj",
        "files": ["scene.blend", "textures/grid.png"],
    }
    assert data["watch_files"] == {
        "/proj/render_results/s1/.+": os.path.join(project.LocalRoot, "s1")
    }
    assert "skip_upload" not in data
    skipped = project.serialize(skip_upload=True, skip_auto_download=True)
    assert skipped["skip_upload"] is True and skipped["watch_files"] == {}
    assert project.upload_serialize()["upload"][0]["files"] == ["scene.blend", "textures/grid.png"]


# -- watch files ------------------------------------------------------------------------------


def test_watch_files_match_whole_remote_paths_and_keep_folders(tmp_path):
    watch = WatchFile("/proj/render_results/take1/.+\\.png", str(tmp_path))
    assert watch.matches("/proj/render_results/take1/lighting/beauty.0001.png")
    assert not watch.matches("/proj/render_results/take1/lighting/beauty.0001.exr")
    assert watch.base() == "/proj/render_results/take1/"
    assert watch.local_path("/proj/render_results/take1/lighting/beauty.0001.png") == str(
        tmp_path / "lighting" / "beauty.0001.png"
    )
    assert watch.serialize == {"/proj/render_results/take1/.+\\.png": str(tmp_path)}
    with pytest.raises(InvalidRequestError) as caught:
        WatchFile("/proj/(", str(tmp_path))
    assert str(caught.value).startswith("output_pattern: '/proj/(' is not a regular expression")
    with pytest.raises(InvalidRequestError) as caught:
        WatchFile("/proj/.+", "")
    assert str(caught.value) == "download_path: expected a folder path, got ''"


# -- the resolver -----------------------------------------------------------------------------


def seed_resolver():
    products = [
        Product("hou", "17.5.173", "Houdini", False),
        Product("hou", "17.5.229", "Houdini", False),
        Product("hou_redshift", "2.6.37", "hou_redshift", True),
        Product("hou_redshift", "2.6.38", "hou_redshift", True),
        Product("htoa", "4.0.1", "htoa", True),
    ]
    links = [
        ("hou:17.5.173", "hou_redshift:2.6.37"),
        ("hou:17.5.173", "hou_redshift:2.6.38"),
        ("hou:17.5.229", "hou_redshift:2.6.38"),
        ("hou:17.5.173", "htoa:4.0.1"),
    ]
    return ProductResolver(products, links)


def test_the_resolver_answers_in_the_seeds_shapes():
    resolver = seed_resolver()
    everything = resolver.get_all_types()
    assert everything["hou"] == {
        "versions": ["17.5.173", "17.5.229"],
        "is_plugin": False,
        "name": "Houdini",
        "business_vertical": "media",
    }
    assert sorted(resolver.get_all_types(False)) == ["hou"]
    assert resolver.get_versions_by_type("hou_redshift") == ["2.6.37", "2.6.38"]
    one = resolver.get_compatible_combinations(("hou:17.5.173",))
    assert sorted(one) == ["hou_redshift", "htoa"]
    assert one["hou_redshift"]["versions"] == ["2.6.37", "2.6.38"]
    both = resolver.get_compatible_combinations(["hou:17.5.173", "hou:17.5.229"])
    assert both == {
        "hou_redshift": {
            "versions": ["2.6.38"],
            "is_plugin": True,
            "name": "hou_redshift",
            "business_vertical": "media",
        }
    }
    assert resolver.get_compatible_combinations(["htoa"])["hou"]["versions"] == ["17.5.173"]


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda r: r.get_versions_by_type("c4d"),
         "query: unknown product type 'c4d'; this farm offers: hou, hou_redshift, htoa"),
        (lambda r: r.get_compatible_combinations("hou"),
         "query: expected a list or tuple like ['hou:17.5.173'], got 'hou'"),
        (lambda r: r.get_compatible_combinations(["hou:99"]),
         "query[0]: hou has no version '99'; its versions: 17.5.173, 17.5.229"),
        (lambda r: r.get_compatible_combinations(["hou", 5]),
         "query[1]: expected 'type' or 'type:version', got 5"),
    ],
)
def test_bad_resolver_queries(call, message):
    with pytest.raises(InvalidRequestError) as caught:
        call(seed_resolver())
    assert str(caught.value) == message


# -- the local catalogue ----------------------------------------------------------------------


def test_the_local_catalogue_as_products_and_machines():
    products = LocalProducts(CATALOGUE)
    assert products.resolver.get_all_types(False) == {
        "blender": {"versions": ["3.4.1"], "is_plugin": False, "name": "Blender",
                    "business_vertical": "media"},
        "hou": {"versions": ["19.5.605", "20.0.590"], "is_plugin": False, "name": "Houdini",
                "business_vertical": "media"},
    }
    assert products.resolver.get_compatible_combinations(["hou:20.0.590"]) == {
        "hou_redshift": {"versions": ["3.5.19"], "is_plugin": True, "name": "redshift",
                         "business_vertical": "media"}
    }
    assert products.package_ids("hou", "19.5.605", ["hou_redshift", "htoa"]) == [
        "h195", "rs1", "ar1"
    ]
    machines = products.machines("blender", "render", EnvoyClient.MACHINE_CATEGORY_CPU)
    assert [(m["id"], m["is_default"], m["gpu"]) for m in machines] == [
        ("standard-1", False, False), ("standard-4", True, False), ("highmem-4", False, False)
    ]
    assert products.machines("blender", "render", EnvoyClient.MACHINE_CATEGORY_GPU) == []
    assert products.machine_type("", False).name == "standard-4"
    assert product_code("Houdini") == "hou" and plugin_code("maya", "Arnold") == "mtoa"
    assert plugin_code("maya", "Octane") == "maya_octane"


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda p: p.package_ids("blender", "2.93", []),
         "app_version: blender 2.93 is not offered by the local farm; its versions: 3.4.1"),
        (lambda p: p.package_ids("c4d", "R19", []),
         "app: product type 'c4d' is not offered by the local farm; it offers: blender, hou"),
        (lambda p: p.package_ids("hou", "20.0.590", ["htoa"]),
         "plugins: plugin 'htoa' does not go with hou 20.0.590; plugins that do: hou_redshift"),
        (lambda p: p.machines("c4d", "render"),
         "query: unknown product type 'c4d'; this farm offers: blender, hou, hou_redshift, htoa"),
        (lambda p: p.machines("blender", "sim"),
         "operation: Blender supports the operations render, not 'sim'"),
        (lambda p: p.machines("blender", "render", "fpga"),
         "category: unknown machine category 'fpga'; valid: cpu, gpu, all"),
        (lambda p: p.machines("hou", "render", "all", ["mtoa"]),
         "plugins: plugin 'mtoa' does not go with hou on this farm"),
        (lambda p: p.machine_type("gm4800", False),
         "machine_type: unknown instance type 'gm4800'; this farm offers: standard-1,"),
        (lambda p: p.machine_type("standard-4", True),
         "machine_type: standard-4 has no GPU and the job sets gpu=True"),
        (lambda p: p.machine_type("", True), "gpu: the local farm has no GPU machine types"),
    ],
)
def test_bad_catalogue_queries(call, message):
    with pytest.raises(InvalidRequestError) as caught:
        call(LocalProducts(CATALOGUE))
    assert message in str(caught.value)


# -- commands ---------------------------------------------------------------------------------


def chunk(frames, size=10):
    return chunk_frames(parse_frame_ranges(frames), size, "progressions")[0]


def test_each_application_renders_its_chunk():
    scene = inputs_path("/proj/my scene.ext")
    assert scene == "\"$FARMHAND_INPUTS\"'/proj/my scene.ext'"
    out = "/r/job"
    common = {"output_prefix": "beauty.", "output_format": "png", "output_width": 64,
                  "output_height": 48}
    cases = {
        "blender": ({"frames": "1 9 2", "output_prefix": "b.", "output_format": "exr",
                         "engine": "cycles"},
                    "blender -b {s} -o '/r/job/b.####' -F OPEN_EXR -E CYCLES -s 1 -e 9 -j 2 -a"),
        "c4d": (dict(common, frames="1 9 2"),
                "Commandline -nogui -render {s} -frame 1 9 2 -oimage /r/job/beauty."
                " -oformat PNG -oresolution 64 48"),
        "maya": (dict(common, frames="1 9 2", renderer="arnold", camera="shot"),
                 "Render -r arnold -s 1 -e 9 -b 2 -x 64 -y 48 -of png -im beauty. -rd /r/job"
                 " -cam shot {s}"),
        "nuke": ({"frames": "1 9 2"}, "nuke -x -F 1-9x2 {s}"),
        "vray": (dict(common, frames="1 5", rt_engine=5),
                 "vray -display=0 -sceneFile={s} -imgFile=/r/job/beauty..png -imgWidth=64"
                 " -imgHeight=48 -frames=1-5 -rtEngine=5"),
    }
    for app, (params, expected) in cases.items():
        context = TaskContext(scene, out, params)
        assert COMMANDS[app](context, chunk(params["frames"])) == expected.format(s=scene)
    stepped = TaskContext(scene, out, dict(common, frames="1 5 2"))
    assert "'-frames=1;3;5'" in COMMANDS["vray"](stepped, chunk("1 5 2"))
    houdini = COMMANDS["hou"](
        TaskContext(scene, out, {"rop_nodepath": "/out/mantra1", "take": "t1"}), chunk("1 4")
    )
    assert houdini.startswith("hython -c '")
    assert houdini.endswith("{} /out/mantra1 1 4 1 /r/job t1 ''".format(scene))


# -- the farm payload of a project --------------------------------------------------------------


def test_a_project_is_one_farm_job_with_a_task_group_per_job(project_dir):
    project = Project(str(project_dir), submission_name="s1", project_env={"LEVEL": "2"})
    project.add_files(project.LocalRoot, project.RemoteRoot)
    first = blender_job("first", instances=2, frames="1 10")
    second = blender_job("second", instances=3, frames="1 4,10", machine_type="standard-1")
    last = blender_job("last", instances=1, frames="5")
    last.add_dependencies(first, second)
    second.set_credits_budget(0.5, Job.CREDITS_BUDGET_ACTION_ALERT)
    project.add_jobs(first, second, last)
    payload, groups = build_payload(
        project, LocalProducts(CATALOGUE), sorted(project.files), [], "/farm/results"
    )
    assert [t["frames"] for t in payload["tasks_data"]] == ["1-5", "6-10", "1-2", "3-4", "10", "5"]
    assert [g["tasks"] for g in groups] == [[0, 2], [2, 5], [5, 6]]
    assert payload["tasks_data"][5]["depends_on"] == [0, 1, 2, 3, 4]
    assert "depends_on" not in payload["tasks_data"][0]
    assert payload["tasks_data"][2]["command"].startswith(
        "blender -b \"$FARMHAND_INPUTS\"/proj/scene.blend -o '/farm/results/second/beauty.####'"
    )
    assert payload["budgets"] == [
        {"name": "second", "tasks": [2, 5], "instance_type": "standard-1",
         "core_seconds": 0.5 * CORE_SECONDS_PER_CREDIT, "action": "alert"}
    ]
    assert payload["instance_type"] == "standard-4"
    assert payload["software_package_ids"] == ["b341"]
    assert payload["environment"] == {"LEVEL": "2"}
    assert payload["output_path"] == "/farm/results"
    assert payload["metadata"]["envoy_project"] == "proj"
    assert payload["job_title"] == "proj: s1"


def test_bad_projects_are_refused_before_anything_is_sent(project_dir):
    products = LocalProducts(CATALOGUE)

    def payload_of(*jobs, files=("/proj/scene.blend",)):
        project = Project(str(project_dir))
        project.add_jobs(*jobs)
        return build_payload(project, products, list(files), [], "/r")

    a, b = blender_job("a"), blender_job("b")
    a.add_dependencies(b)
    b.add_dependencies(a)
    outsider = blender_job("outsider")
    needs_outsider = blender_job("c")
    needs_outsider.add_dependencies(outsider)
    cases = [
        (lambda: payload_of(), "jobs: the project has no jobs (add them with add_jobs)"),
        (lambda: payload_of(a, b), "the job dependencies form a cycle: a -> b -> a"),
        (lambda: payload_of(needs_outsider),
         "jobs['c'].dependencies: job 'c' depends on job 'outsider', which is not in the project"),
        (lambda: payload_of(blender_job(path="/other/scene.blend")),
         "jobs['render'].path: '/other/scene.blend' is not in the project's remote folder"),
        (lambda: payload_of(blender_job(path="/proj/missing.blend")),
         "jobs['render'].path: /proj/missing.blend is not among the project's files (1)"),
        (lambda: payload_of(blender_job("a b"), blender_job("a_b")),
         "jobs['a_b'].name: two jobs would write their results to the folder 'a_b'"),
        (lambda: payload_of(blender_job(gpu=True)), "gpu: the local farm has no GPU machine"),
    ]
    for make, message in cases:
        with pytest.raises(InvalidRequestError) as caught:
            make()
        assert message in str(caught.value)


# -- status -----------------------------------------------------------------------------------


def test_status_while_uploading_has_the_seeds_shape():
    record = {
        "upload": {
            "state": "Uploading",
            "speed": 10.0,
            "files": {"/sample project/test.c4d": {"size": 2971998, "done": 0}},
        },
        "submissions": [],
    }
    assert project_status(record) == {
        "Code": 200,
        "State": "Uploading",
        "Message": "File uploads in progress.",
        "BytesDone": 0,
        "BytesTotal": 2971998,
        "Details": {
            "/sample project/test.c4d": {
                "Name": "/sample project/test.c4d",
                "State": "Uploading",
                "BytesDone": 0,
                "BytesTotal": 2971998,
                "Speed": 10.0,
            }
        },
        "Speed": 10.0,
    }
    record["upload"].update(state="Completed", message="1 files uploaded.")
    done = project_status(record)
    assert done["State"] == "Uploaded" and done["BytesDone"] == 2971998
    assert done["Details"]["/sample project/test.c4d"]["State"] == "Completed"
