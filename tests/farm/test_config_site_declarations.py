"""A site's declarations in the farm's config.json: instance types its scripts name (the
seed's ``gm4800``) and the path mapping rules its clients read (``core.path_mapping``)."""

import pytest

from farmhand.core.errors import InputError
from farmhand.core.path_mapping import PathRule
from farmhand.farm.config import parse_config
from farmhand.farm.machine import machine_catalogue


def test_declared_instance_types_join_the_machines_own():
    config = parse_config(
        {
            "instance_types": [
                {"name": "gm4800", "cores": 1, "memory": 2.0, "description": "site"},
                {"name": "standard-1", "cores": 1, "memory": 1.0, "description": "smaller"},
            ]
        },
        "config.json",
    )
    catalogue = machine_catalogue(config, cores=2, memory_gib=16.0)
    names = [item.name for item in catalogue.instance_types]
    # the machine's shapes first (the default stays the machine's), a declared name replaces
    assert names == ["standard-2", "highmem-2", "highcpu-2", "gm4800", "standard-1"]
    assert catalogue.instance_type("gm4800").cores == 1
    assert catalogue.instance_type("standard-1").memory == 1.0


def test_path_map_is_read_and_checked():
    config = parse_config({"path_map": [{"from": "c:\\", "to": "/mnt/c"}]}, "config.json")
    assert config.path_map == (PathRule("c:\\", "/mnt/c", "config.json: path_map[0]"),)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"instance_types": {}}, "config.json: 'instance_types' must be a list"),
        (
            {"instance_types": [{"cores": 2}]},
            "config.json: instance_types[0] must be an object with a non-empty 'name'",
        ),
        (
            {"instance_types": [{"name": "gm", "cores": "many"}]},
            "config.json: instance_types[0]: not an instance type (invalid literal for int()"
            " with base 10: 'many')",
        ),
        (
            {"instance_types": [{"name": "gm", "cores": 0}]},
            "config.json: instance_types[0]: 'cores' must be at least 1, got 0",
        ),
        (
            {"path_map": [{"from": "c:\\"}]},
            "config.json: path_map[0]: 'to' must be a non-empty path, got None",
        ),
        (
            {"path_map": "c:\\=/mnt/c"},
            "config.json: path_map: expected a list of {\"from\": ..., \"to\": ...} rules or a"
            " {from: to} object, got 'c:\\\\=/mnt/c'",
        ),
    ],
)
def test_bad_declarations_name_the_entry(data, message):
    with pytest.raises(InputError) as caught:
        parse_config(data, "config.json")
    assert str(caught.value).endswith(message)
