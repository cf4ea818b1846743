"""Catalogue files: the wire shape read back losslessly, bad entries named."""

import json

import pytest

from farmhand.core.catalogue import (
    Catalogue,
    InstanceType,
    PackageEnvironmentEntry,
    SoftwarePackage,
)
from farmhand.core.catalogue_file import catalogue_from_dict, catalogue_to_dict, load_catalogue_file
from farmhand.core.errors import InputError

CATALOGUE = Catalogue(
    projects=("default", "dpool"),
    instance_types=(InstanceType("standard-2", 2, 7.5, "2 core, 7.50GB Mem", "standard"),),
    packages=(
        SoftwarePackage(
            "b1",
            "blender",
            "3",
            "6",
            environment=(PackageEnvironmentEntry("PATH", "/b", "append"),),
        ),
    ),
)


def test_round_trip_through_a_file(tmp_path):
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(catalogue_to_dict(CATALOGUE)))
    assert load_catalogue_file(str(path)) == CATALOGUE


@pytest.mark.parametrize(
    "data, message",
    [
        ([], "src: expected a JSON object with projects, instance_types, packages"),
        (
            {"machines": []},
            "src: unknown key 'machines'; valid keys: projects, instance_types, packages",
        ),
        ({"projects": "default"}, "src: projects must be a list"),
        ({"projects": [""]}, "src: projects[0] must be a non-empty string, got ''"),
        (
            {"instance_types": [{"cores": 2}]},
            "src: instance_types[0] is not an instance type ('name')",
        ),
        (
            {"packages": [{"product": "x"}]},
            "src: packages[0]: software package None lacks the 'package_id' key",
        ),
        ({"packages": ["x"]}, "src: packages[0] must be an object"),
    ],
)
def test_bad_catalogues(data, message):
    with pytest.raises(InputError) as error:
        catalogue_from_dict(data, "src")
    assert str(error.value) == message


def test_unreadable_files(tmp_path):
    with pytest.raises(InputError) as error:
        load_catalogue_file(str(tmp_path / "none.json"))
    assert str(error.value) == (
        "catalogue: {}: cannot read the catalogue file: No such file or directory".format(
            tmp_path / "none.json"
        )
    )
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    with pytest.raises(InputError) as error:
        load_catalogue_file(str(bad))
    assert str(error.value).startswith("catalogue: {}: not valid JSON: ".format(bad))
