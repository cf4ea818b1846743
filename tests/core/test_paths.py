"""FARMHAND_HOME: created on first use; a place that cannot hold the state is bad input."""

import os

import pytest

from farmhand.core.errors import InputError
from farmhand.core.paths import farmhand_home


def test_home_is_created(tmp_path, monkeypatch):
    monkeypatch.setenv("FARMHAND_HOME", str(tmp_path / "a" / "b"))
    assert farmhand_home() == str(tmp_path / "a" / "b")
    assert os.path.isdir(str(tmp_path / "a" / "b"))


def test_a_file_in_the_way_is_named(tmp_path, monkeypatch):
    in_the_way = tmp_path / "home"
    in_the_way.write_text("not a folder")
    monkeypatch.setenv("FARMHAND_HOME", str(in_the_way))
    with pytest.raises(InputError) as caught:
        farmhand_home()
    assert str(caught.value) == (
        "FARMHAND_HOME: cannot use {!r} for Farmhand's state (it is a file); set FARMHAND_HOME "
        "to a folder you can write to".format(str(in_the_way))
    )


def test_a_parent_that_is_a_file_is_named(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("")
    home = str(tmp_path / "file" / "home")
    monkeypatch.setenv("FARMHAND_HOME", home)
    with pytest.raises(InputError) as caught:
        farmhand_home()
    assert str(caught.value) == (
        "FARMHAND_HOME: cannot use {!r} for Farmhand's state (Not a directory); set "
        "FARMHAND_HOME to a folder you can write to".format(home)
    )
