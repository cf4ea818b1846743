"""Path mapping rules: a Windows-authored script's paths as this machine names them."""

import ast
import json
import os
import warnings

import pytest

from farmhand.core.path_mapping import (
    PathMapError,
    PathRule,
    is_windows_path,
    load_rules,
    local_path,
    map_path,
    parse_rules,
)

posix_only = pytest.mark.skipif(os.name == "nt", reason="the unmapped-path error is POSIX's")


def rules(mapping):
    return parse_rules(mapping, "test")


def seed_literal(text):
    """A string literal as the seed writes it (``'c:\\sample_project\\my_results'``: its
    ``\\m`` is not an escape, so it stays a backslash and an ``m``)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.literal_eval(text)


def test_the_seeds_literals_map_under_the_drive_rule():
    drive = rules({"c:\\": "/work/drive_c"})
    assert map_path("c:\\sample_project", drive) == "/work/drive_c/sample_project"
    download = seed_literal("'c:\\\\sample_project\\my_results'")
    assert download == "c:\\sample_project\\my_results"
    assert map_path(download, drive) == "/work/drive_c/sample_project/my_results"
    assert map_path("c:\\sample_project\\assets", drive) == "/work/drive_c/sample_project/assets"


def test_drive_letters_and_windows_names_ignore_case_and_both_separators_work():
    mapped = rules([{"from": "C:\\Projects", "to": "/mnt/projects"}])
    assert map_path("c:/projects/Show/shot.c4d", mapped) == "/mnt/projects/Show/shot.c4d"
    assert map_path("C:\\PROJECTS\\Show", mapped) == "/mnt/projects/Show"
    assert map_path("c:\\projects", mapped) == "/mnt/projects"
    assert map_path("c:\\projects\\.\\a\\", mapped) == "/mnt/projects/a"


def test_the_longest_prefix_wins_on_whole_components_and_the_first_on_a_tie():
    mapped = rules(
        [
            {"from": "c:\\", "to": "/drive_c"},
            {"from": "c:\\projects", "to": "/projects"},
            {"from": "C:/Projects/", "to": "/ignored"},
        ]
    )
    assert map_path("c:\\projects\\a", mapped) == "/projects/a"
    assert map_path("c:\\projectsX\\a", mapped) == "/drive_c/projectsX/a"
    assert map_path("c:\\other", mapped) == "/drive_c/other"
    assert map_path("d:\\other", mapped) is None


def test_unc_posix_and_windows_targets():
    mapped = rules(
        {
            "\\\\server\\share": "/mnt/share",
            "/mnt/old": "/data/new",
            "/studio": "p:\\studio",
        }
    )
    assert map_path("\\\\SERVER\\share\\shot\\a.exr", mapped) == "/mnt/share/shot/a.exr"
    assert map_path("\\\\server\\share", mapped) == "/mnt/share"
    assert map_path("//server/share", mapped) is None  # a POSIX path (``//`` is ``/`` here)
    assert map_path("\\\\server\\other", mapped) is None
    assert map_path("/mnt/old/x/y", mapped) == "/data/new/x/y"
    assert map_path("/MNT/old/x", mapped) is None  # POSIX names keep their case
    assert map_path("/mnt/older", mapped) is None
    assert map_path("/studio/a/b", mapped) == "p:\\studio\\a\\b"


def test_posix_paths_without_a_rule_are_left_as_they_are():
    assert local_path("/home/me/project", "project_folder", rules=[]) == "/home/me/project"
    assert local_path("relative/folder", "local_folder", rules=[]) == "relative/folder"


def test_what_counts_as_a_windows_path():
    assert is_windows_path("c:\\x") and is_windows_path("C:/x") and is_windows_path("c:x")
    assert is_windows_path("\\\\server\\share")
    assert not is_windows_path("/c:/x") and not is_windows_path("relative\\name")


@posix_only
def test_an_unmapped_windows_path_says_how_to_map_it(tmp_path):
    environ = {"FARMHAND_HOME": str(tmp_path)}
    config = os.path.join(str(tmp_path), "farm", "config.json")
    with pytest.raises(PathMapError) as caught:
        local_path("c:\\sample_project", "project_folder", environ=environ)
    assert str(caught.value) == (
        "project_folder: c:\\sample_project is a Windows path and no path mapping rule covers"
        " it on this machine; map its drive or folder to a local one with"
        " FARMHAND_PATH_MAP='{\"c:\\\\\": \"/local/folder\"}' or a 'path_map' list in"
        " " + config + " (0 rule(s) known)"
    )
    assert caught.value.field == "project_folder" and caught.value.path == "c:\\sample_project"
    with pytest.raises(PathMapError) as caught:
        local_path("\\\\nas\\jobs\\a", "download_path", rules=rules({"d:\\": "/d"}))
    assert "\\\\nas\\jobs\\a is a Windows path" in str(caught.value)
    assert "FARMHAND_PATH_MAP='{\"\\\\\\\\nas\\\\\": \"/local/folder\"}'" in str(caught.value)
    assert "(1 rule(s) known)" in str(caught.value)


def test_rules_come_from_the_environment_first_then_the_site_config(tmp_path):
    farm = tmp_path / "farm"
    farm.mkdir()
    (farm / "config.json").write_text(
        json.dumps({"slots": 1, "path_map": [{"from": "c:\\", "to": "/site/c"},
                                             {"from": "d:\\", "to": "/site/d"}]})
    )
    environ = {
        "FARMHAND_HOME": str(tmp_path),
        "FARMHAND_PATH_MAP": json.dumps([{"from": "C:/", "to": "/mine/c"}]),
    }
    found = load_rules(environ)
    assert found == [
        PathRule("C:/", "/mine/c", "FARMHAND_PATH_MAP[0]"),
        PathRule("c:\\", "/site/c", "{}: path_map[0]".format(farm / "config.json")),
        PathRule("d:\\", "/site/d", "{}: path_map[1]".format(farm / "config.json")),
    ]
    assert local_path("c:\\a", environ=environ) == "/mine/c/a"  # the user's rule on a tie
    assert local_path("d:\\a", environ=environ) == "/site/d/a"
    assert load_rules({"FARMHAND_HOME": str(tmp_path / "none")}) == []


@pytest.mark.parametrize(
    "data, message",
    [
        ("c:\\=/mnt/c", "test: expected a list of {\"from\": ..., \"to\": ...} rules or a"
                        " {from: to} object, got 'c:\\\\=/mnt/c'"),
        ([["c:\\", "/mnt/c"]], "test[0]: expected {\"from\": ..., \"to\": ...}, got"
                               " ['c:\\\\', '/mnt/c']"),
        ([{"from": "c:\\", "to": "/c", "drive": "c"}],
         "test[0]: unknown key 'drive'; valid keys: from, to"),
        ([{"from": "", "to": "/c"}], "test[0]: 'from' must be a non-empty path, got ''"),
        ([{"from": "c:\\", "to": 3}], "test[0]: 'to' must be a non-empty path, got 3"),
        ({"c:projects": "/c"}, "test[0]: 'from' must be an absolute path (c:\\..., \\\\server"
                               "\\share, /...), got 'c:projects'"),
        ({"c:\\": "mnt/c"}, "test[0]: 'to' must be an absolute path (c:\\..., \\\\server"
                            "\\share, /...), got 'mnt/c'"),
    ],
)
def test_bad_rules_name_the_entry_and_the_value(data, message):
    with pytest.raises(PathMapError) as caught:
        parse_rules(data, "test")
    assert str(caught.value) == message


def test_bad_sources_name_where_they_came_from(tmp_path):
    with pytest.raises(PathMapError) as caught:
        load_rules({"FARMHAND_HOME": str(tmp_path), "FARMHAND_PATH_MAP": "c:\\=/mnt/c"})
    assert str(caught.value) == (
        "FARMHAND_PATH_MAP: not valid JSON (Expecting value: line 1 column 1 (char 0));"
        " example: FARMHAND_PATH_MAP='{\"c:\\\\\": \"/mnt/c\"}'"
    )
    with pytest.raises(PathMapError) as caught:
        load_rules({"FARMHAND_HOME": str(tmp_path), "FARMHAND_PATH_MAP": '{"c:\\\\": ""}'})
    assert str(caught.value) == "FARMHAND_PATH_MAP[0]: 'to' must be a non-empty path, got ''"
    (tmp_path / "farm").mkdir()
    config = tmp_path / "farm" / "config.json"
    config.write_text('{"path_map": [{"from": "/a", "to": "b"}]}')
    with pytest.raises(PathMapError) as caught:
        load_rules({"FARMHAND_HOME": str(tmp_path)})
    assert str(caught.value) == (
        "{}: path_map[0]: 'to' must be an absolute path (c:\\..., \\\\server\\share, /...),"
        " got 'b'".format(config)
    )
    config.write_text("{")
    with pytest.raises(PathMapError) as caught:
        load_rules({"FARMHAND_HOME": str(tmp_path)})
    assert str(caught.value).startswith(
        "path_map: cannot read the path map from {} (Expecting property name".format(config)
    )
