"""A FARMHAND_HOME other users can reach is named at start, once, with its mode; the farm
does not change the user's own folder (they may share it on purpose)."""

import logging
import os
import stat

import pytest

pytestmark = [pytest.mark.timeout(120), pytest.mark.usefixtures("umask_022")]


def warnings_of(caplog):
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.parametrize("loose", [0o755, 0o750, 0o701], ids=["0755", "0750", "0701"])
def test_a_loose_farmhand_home_is_named_once_and_left_as_it_is(
    tmp_path, start_live_farm, caplog, loose
):
    home = tmp_path / "live-home"
    home.mkdir()
    os.chmod(str(home), loose)
    caplog.set_level(logging.WARNING, logger="farmhand.farm")
    farm = start_live_farm()
    assert warnings_of(caplog) == [
        "FARMHAND_HOME {} is mode {:04o}: other users can reach it (the farm's own folder is"
        " kept 0700 and its files 0600, but run `chmod 700 {}` to keep all of Farmhand's"
        " state private)".format(home, loose, home)
    ]
    assert stat.S_IMODE(os.stat(str(home)).st_mode) == loose
    assert stat.S_IMODE(os.stat(farm.paths.root).st_mode) == 0o700


def test_a_private_farmhand_home_gets_no_warning(tmp_path, start_live_farm, caplog):
    home = tmp_path / "live-home"
    home.mkdir(mode=0o700)
    caplog.set_level(logging.WARNING, logger="farmhand.farm")
    start_live_farm()
    assert warnings_of(caplog) == []
