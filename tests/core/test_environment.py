"""Package environments: exclusive/append/prepend, extra entries, local variable expansion."""

import pytest

from farmhand.core.catalogue import PackageEnvironmentEntry, SoftwarePackage
from farmhand.core.environment import (
    expand_local_variables,
    merge_environment,
    merge_package_environments,
)
from farmhand.core.errors import EnvironmentMergeError
from farmhand.core.job.settings import EnvEntry


def package(package_id, product, version, *entries, platform="linux"):
    return {
        "package_id": package_id,
        "product": product,
        "major_version": version,
        "platform": platform,
        "environment": [
            {"name": name, "value": value, "merge_policy": policy}
            for name, value, policy in entries
        ],
    }


VRAY = package(
    "7208372e306614d514944938c395e0e7",
    "v-ray-standalone",
    "4",
    ("PATH", "/opt/vray/bin", "append"),
    ("LD_LIBRARY_PATH", "/opt/vray/lib", "append"),
    ("VRAY_LICENSE", "5053@licence", "exclusive"),
)
BLENDER = package(
    "b1", "blender", "3", ("PATH", "/opt/blender", "append"), ("BLENDER_X", "1", "exclusive")
)


def test_seed_quick_start_merge():
    custom = {
        "VRAY_PLUGINS_x64": "/path/to/tools/custom_vray/plugin",
        "LD_LIBRARY_PATH": "/path/to/tools/custom_vray/bin",
    }
    env = merge_package_environments([VRAY], base_env=custom)
    assert env == {
        "VRAY_PLUGINS_x64": "/path/to/tools/custom_vray/plugin",
        "LD_LIBRARY_PATH": "/path/to/tools/custom_vray/bin:/opt/vray/lib",
        "PATH": "/opt/vray/bin",
        "VRAY_LICENSE": "5053@licence",
    }
    assert custom["LD_LIBRARY_PATH"] == "/path/to/tools/custom_vray/bin"  # not modified


def test_packages_as_objects_or_dicts_give_the_same_result():
    objects = [SoftwarePackage.from_dict(VRAY), SoftwarePackage.from_dict(BLENDER)]
    assert merge_package_environments(objects) == merge_package_environments([VRAY, BLENDER])


def test_merging_twice_changes_nothing():
    once = merge_package_environments([VRAY, BLENDER])
    assert merge_package_environments([VRAY, BLENDER], base_env=once) == once


def test_append_prepend_order_and_no_duplicates():
    extra = [
        EnvEntry("PATH", "/mine/first", "prepend"),
        EnvEntry("PATH", "/mine/last", "append"),
        EnvEntry("PATH", "/opt/blender", "append"),
    ]
    env = merge_package_environments([BLENDER], extra=extra)
    assert env["PATH"] == "/mine/first:/opt/blender:/mine/last"


def test_windows_packages_join_with_semicolons():
    win = package("w", "maya", "2024", ("PATH", "C:/maya/bin", "append"), platform="windows")
    extra = [EnvEntry("PATH", "C:/tools", "append")]
    assert merge_package_environments([win], extra=extra) == {"PATH": "C:/maya/bin;C:/tools"}


def test_same_exclusive_value_twice_is_fine():
    again = package("v2", "vray-extra", "1", ("VRAY_LICENSE", "5053@licence", "exclusive"))
    assert merge_package_environments([VRAY, again])["VRAY_LICENSE"] == "5053@licence"


def test_two_packages_with_different_exclusive_values():
    other = package("o", "arnold", "7", ("VRAY_LICENSE", "1@elsewhere", "exclusive"))
    with pytest.raises(EnvironmentMergeError) as error:
        merge_package_environments([VRAY, other])
    assert str(error.value) == (
        "software_package_ids: package 'arnold 7 linux' sets VRAY_LICENSE exclusively to "
        "'1@elsewhere' but package 'v-ray-standalone 4 linux' sets it to '5053@licence'"
    )


def test_extra_environment_exclusive_conflict_names_the_package():
    with pytest.raises(EnvironmentMergeError) as error:
        merge_package_environments([VRAY], extra=[EnvEntry("VRAY_LICENSE", "9@x", "exclusive")])
    assert str(error.value) == (
        "extra_environment: extra environment sets VRAY_LICENSE exclusively to '9@x' but "
        "package 'v-ray-standalone 4 linux' sets it to '5053@licence'"
    )
    assert error.value.field == "extra_environment"


def test_exclusive_over_appended_paths_is_a_conflict():
    with pytest.raises(EnvironmentMergeError) as error:
        merge_package_environments([BLENDER, VRAY], extra=[EnvEntry("PATH", "/only/mine")])
    assert str(error.value) == (
        "extra_environment: extra environment sets PATH exclusively to '/only/mine' but "
        "package 'blender 3 linux' and package 'v-ray-standalone 4 linux' add "
        "'/opt/blender:/opt/vray/bin' to it"
    )


def test_base_environment_conflict():
    with pytest.raises(EnvironmentMergeError) as error:
        merge_package_environments([VRAY], base_env={"VRAY_LICENSE": "mine"})
    assert str(error.value) == (
        "software_package_ids: package 'v-ray-standalone 4 linux' sets VRAY_LICENSE "
        "exclusively to '5053@licence' but base environment sets it to 'mine'"
    )


def test_unknown_merge_policy():
    bad = package("x", "bad", "1", ("A", "1", "overwrite"))
    with pytest.raises(EnvironmentMergeError) as error:
        merge_package_environments([bad])
    assert str(error.value) == (
        "software_package_ids: package 'bad 1 linux' gives A the merge policy 'overwrite'; "
        "valid policies: exclusive, append, prepend"
    )
    with pytest.raises(EnvironmentMergeError) as error:
        merge_package_environments([], extra=[EnvEntry("A", "1", "Append")])
    assert str(error.value) == (
        "extra_environment: extra environment gives A the merge policy 'Append'; "
        "valid policies: exclusive, append, prepend"
    )


def test_mixed_platforms():
    win = package("w", "maya", "2024", platform="windows")
    with pytest.raises(EnvironmentMergeError) as error:
        merge_package_environments([BLENDER, win])
    assert str(error.value) == (
        "software_package_ids: packages for different platforms cannot share one environment: "
        "package 'blender 3 linux' (linux), package 'maya 2024 windows' (windows)"
    )


def test_extra_values_expand_local_variables():
    local = {"MY_SCRIPTS_PATH": "/studio/scripts", "SHOW": "bat"}
    merged = merge_environment(
        [BLENDER],
        extra=[
            EnvEntry("PATH", "$MY_SCRIPTS_PATH", "append"),
            EnvEntry("SHOW_ROOT", "/shows/${SHOW}/$UNDEFINED_ONE", "exclusive"),
        ],
        environ=local,
    )
    assert merged.values["PATH"] == "/opt/blender:/studio/scripts"
    assert merged.values["SHOW_ROOT"] == "/shows/bat/$UNDEFINED_ONE"
    assert merged.undefined == ("UNDEFINED_ONE",)


def test_base_and_package_values_are_not_expanded():
    pkg = package("p", "tool", "1", ("TOOL", "$ROOT/tool", "exclusive"))
    env = merge_package_environments([pkg], base_env={"B": "$HOME"}, environ={"ROOT": "/r"})
    assert env == {"TOOL": "$ROOT/tool", "B": "$HOME"}


def test_expand_local_variables_forms():
    text, undefined = expand_local_variables("$A ${A}x $Ax $ ${} $1", {"A": "1"})
    assert text == "1 1x $Ax $ ${} $1"
    assert undefined == ("Ax",)


def test_software_package_entries_keep_policies():
    entry = PackageEnvironmentEntry("HFS", "/opt/hfs", "exclusive")
    pkg = SoftwarePackage("id", "houdini", "20", environment=(entry,))
    assert merge_package_environments([pkg]) == {"HFS": "/opt/hfs"}
