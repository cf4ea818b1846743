"""The catalogue this machine offers: shapes that fit it, installed software, projects."""

import shutil
import subprocess

import pytest

from farmhand.farm.config import FarmConfig, parse_config
from farmhand.farm.machine import (
    Probe,
    instance_types,
    machine_catalogue,
    package_id,
    probe_software,
)
from tests.conftest import require


def names(types):
    return [t.name for t in types]


def test_shapes_fit_the_machine():
    types = instance_types(cores=2, memory_gib=23.0)
    assert names(types) == ["standard-1", "standard-2", "highmem-2", "highcpu-2"]
    assert [(t.cores, t.memory) for t in types] == [(1, 3.75), (2, 7.5), (2, 13.0), (2, 1.8)]
    assert types[1].description == "2 core, 7.50GB Mem"
    assert {t.flavor for t in types} == {"standard", "highmem", "highcpu"}


def test_memory_limits_the_shapes_and_odd_core_counts_are_offered():
    types = instance_types(cores=6, memory_gib=16.0)
    assert names(types) == [
        "standard-1",
        "standard-2",
        "highmem-2",
        "highcpu-2",
        "standard-4",
        "highcpu-4",
        "highcpu-6",
    ]
    # highmem-4 (26 GiB), standard-6 (22.5 GiB) and highmem-6 do not fit in 16 GiB.


def test_a_tiny_machine_still_offers_itself():
    (only,) = instance_types(cores=1, memory_gib=2.0)
    assert (only.name, only.cores, only.memory) == ("standard-1", 1, 2.0)


def test_blender_is_found_with_its_version_and_path(tmp_path):
    blender = shutil.which("blender")
    require(blender is not None, "Blender (apt-get install blender)")
    output = subprocess.run([blender, "--version"], capture_output=True, text=True).stdout
    version = output.split()[1]
    cache = tmp_path / "software.json"
    packages = probe_software(str(cache))
    (found,) = [p for p in packages if p.product == "blender"]
    assert found.version == version
    assert found.package_id == package_id("blender", version)
    assert [(e.name, e.merge_policy) for e in found.environment] == [("PATH", "append")]
    assert cache.exists()
    # The second probe reads the cache instead of running Blender again.
    assert probe_software(str(cache)) == packages


def test_a_probe_that_prints_no_version_is_skipped(tmp_path):
    tool = tmp_path / "faketool"
    tool.write_text("#!/bin/sh\necho nothing useful\n")
    tool.chmod(0o755)
    probe = Probe("fake", str(tool), ("--version",), r"Fake (\d+)\.(\d+)")
    assert probe_software(None, probes=[probe]) == []


def test_config_adds_projects_and_packages():
    config = parse_config(
        {
            "projects": ["spiderman", "default"],
            "packages": [{"package_id": "p1", "product": "arnold", "major_version": "7"}],
            "probe_software": False,
        },
        "config.json",
    )
    catalogue = machine_catalogue(config, cores=2, memory_gib=8.0)
    assert list(catalogue.projects) == ["default", "spiderman"]
    assert [p.package_id for p in catalogue.packages] == ["p1"]
    assert names(catalogue.instance_types) == ["standard-1", "standard-2", "highcpu-2"]


def test_the_farm_serves_its_catalogue_in_ciocores_shape(farm_factory):
    farm = farm_factory(
        config={
            "projects": ["alpha"],
            "environment": [
                {"name": "LICENSE_SERVER", "value": "5053@lic", "merge_policy": "exclusive"}
            ],
        }
    )
    projects = farm.get("/api/v1/projects/").json()["data"]
    assert projects == [
        {"name": "default", "status": "active", "id": "default"},
        {"name": "alpha", "status": "active", "id": "alpha"},
    ]
    kinds = farm.get("/api/v1/instance-types").json()["data"]
    assert {"name", "cores", "memory", "description", "operating_system", "gpu"} <= set(kinds[0])
    two = farm.get("/api/v1/instance-types", filter="cores=eq:2:int").json()["data"]
    assert two and all(k["cores"] == 2 for k in two)
    packages = farm.get("/api/v1/ee/packages", all="true").json()["data"]
    for package in packages:
        assert package["plugins"] == [] and package["platform"] == "linux"
    env = farm.get("/api/v1/integrations/env-vars-configs").json()["data"]
    assert env[0]["env"] == [
        {"name": "LICENSE_SERVER", "value": "5053@lic", "merge_policy": "exclusive"}
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        ("cpu=gte:x:int", "filter clause 1 'cpu=gte:x:int': 'x' is not a valid int"),
        (
            "colour=eq:red",
            "filter clause 1 'colour=eq:red': unknown field 'colour'; valid fields:"
            " cores, cpu, memory, operating_system, gpu.gpu_count, name, flavor",
        ),
        (
            "cores=about:2",
            "filter clause 1 'cores=about:2': unknown op 'about'; valid ops: eq, ne,"
            " lt, lte, gt, gte",
        ),
        (
            "cores=eq:2:long",
            "filter clause 1 'cores=eq:2:long': unknown type 'long'; valid types: int, float, str",
        ),
        ("cores", "filter clause 1 'cores' is not field=op:value[:type]"),
    ],
)
def test_bad_instance_filter(farm, text, message):
    reply = farm.get("/api/v1/instance-types", filter=text)
    assert reply.status_code == 400
    assert reply.json() == {"error": message, "field": "filter"}


@pytest.mark.parametrize(
    "data, message",
    [
        ([], "config.json: expected a JSON object, got list"),
        (
            {"slot": 2},
            "config.json: unknown key(s) slot; valid keys: projects, packages, environment,"
            " slots, port, multipart_threshold, part_size, probe_software, instance_types,"
            " path_map",
        ),
        ({"projects": "a"}, "config.json: 'projects' must be a list of non-empty names, got 'a'"),
        ({"projects": [""]}, "config.json: 'projects' must be a list of non-empty names, got ['']"),
        ({"packages": {}}, "config.json: 'packages' must be a list"),
        ({"packages": [1]}, "config.json: packages[0] must be an object"),
        (
            {"packages": [{"product": "x"}]},
            "config.json: packages[0]: software package None lacks the 'package_id' key",
        ),
        (
            {"environment": [{"name": "A"}]},
            "config.json: environment[0] must be an object with string 'name' and 'value'",
        ),
        (
            {"environment": [{"name": "A", "value": "1", "merge_policy": "merge"}]},
            "config.json: environment[0]: merge_policy 'merge' is not one of exclusive, append,"
            " prepend",
        ),
        ({"slots": 0}, "config.json: slots: expected an integer >= 1, got 0"),
        ({"port": "80"}, "config.json: port: expected an integer >= 0, got '80'"),
        ({"probe_software": "no"}, "config.json: 'probe_software' must be true or false"),
    ],
)
def test_bad_config(data, message):
    from farmhand.core.errors import InputError

    with pytest.raises(InputError) as caught:
        parse_config(data, "config.json")
    assert caught.value.message == message


def test_default_config():
    assert parse_config({}, "c.json").multipart_threshold == FarmConfig().multipart_threshold
