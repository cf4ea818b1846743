"""``farmhand.install``: for each host, the files written where the host looks (every
platform's places, checked here on any machine), idempotent, taken out by ``--uninstall``,
refusing to touch a file Farmhand did not write, and naming the path it could not write."""

import json
import os

import pytest

import farmhand
from farmhand.install import register
from farmhand.install.errors import InstallError, InstallInputError

PACKAGE = os.path.dirname(os.path.abspath(farmhand.__file__))  # DIR/farmhand of this install
STARTUP = os.path.join(PACKAGE, "startup")


def posix(path):
    return path.replace(os.sep, "/")


@pytest.fixture
def home(tmp_path):
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def env(home, **extra):
    values = {"HOME": str(home)}
    values.update(extra)
    return values


def verbs(actions):
    return [(action.verb, action.path) for action in actions]


# Maya -------------------------------------------------------------------------------------
def test_maya_module_file_in_the_users_modules_folder(home):
    actions = register("maya", environ=env(home), platform="linux")
    path = str(home / "maya" / "modules" / "farmhand.mod")
    assert verbs(actions) == [("wrote", path)]
    with open(path) as handle:
        lines = handle.read().splitlines()
    assert lines[0] == "+ farmhand 0.1.0 {}".format(posix(os.path.join(STARTUP, "maya")))
    assert lines[1:] == ["MAYA_PLUG_IN_PATH +:= plug-ins", "PYTHONPATH +:= ../../.."]
    # the relative settings resolve against the installed module: the plug-in, then DIR
    root = lines[0].split(" ", 3)[3]
    assert os.path.isfile(os.path.join(root, "plug-ins", "farmhand_maya.py"))
    python_path = os.path.normpath(os.path.join(root, "../../.."))
    assert os.path.isfile(os.path.join(python_path, "farmhand", "plugins", "maya", "menu.py"))
    assert verbs(register("maya", environ=env(home), platform="linux")) == [("unchanged", path)]
    assert verbs(register("maya", uninstall=True, environ=env(home), platform="linux")) == [
        ("removed", path)
    ]
    assert not os.path.exists(path)
    assert verbs(register("maya", uninstall=True, environ=env(home), platform="linux")) == [
        ("absent", path)
    ]


@pytest.mark.parametrize(
    "platform, extra, version, expected",
    [
        ("linux", {}, "", "maya/modules"),
        ("linux", {}, "2024", "maya/2024/modules"),
        ("darwin", {}, "", "Library/Preferences/Autodesk/maya/modules"),
        ("win32", {}, "", "Documents/maya/modules"),
        ("linux", {"MAYA_APP_DIR": "{home}/studio/maya"}, "", "studio/maya/modules"),
    ],
)
def test_where_maya_looks(home, platform, extra, version, expected):
    environ = env(home, USERPROFILE=str(home))
    environ.update({k: v.format(home=home) for k, v in extra.items()})
    (action,) = register("maya", version=version, environ=environ, platform=platform)
    assert action.path == os.path.join(str(home), expected, "farmhand.mod")


def test_a_maya_version_must_be_a_year(home):
    with pytest.raises(InstallInputError) as caught:
        register("maya", version="2024.1", environ=env(home), platform="linux")
    assert str(caught.value) == "--version: Maya's versions are years (2024), got '2024.1'"


# Houdini ----------------------------------------------------------------------------------
def test_houdini_package_file_in_every_preferences_folder_found(home):
    for version in ("19.5", "20.5"):
        (home / "houdini{}".format(version)).mkdir()
    (home / "houdini_tools").mkdir()  # not a preferences folder
    actions = register("houdini", environ=env(home), platform="linux")
    paths = [
        str(home / "houdini{}".format(v) / "packages" / "farmhand.json") for v in ("19.5", "20.5")
    ]
    assert verbs(actions) == [("wrote", paths[0]), ("wrote", paths[1])]
    with open(paths[1]) as handle:
        data = json.load(handle)
    assert "$HOUDINI_PACKAGE_PATH" not in json.dumps(data)
    houdini = posix(os.path.join(STARTUP, "houdini"))
    assert data["hpath"] == houdini
    (python_path,) = [e["PYTHONPATH"]["value"] for e in data["env"] if "PYTHONPATH" in e]
    assert os.path.normpath(python_path) == os.path.dirname(PACKAGE)
    library = os.path.join(data["hpath"], "otls", "farmhand_job.hda", "houdini.hdalibrary")
    assert os.path.isfile(library)
    assert [a.verb for a in register("houdini", environ=env(home), platform="linux")] == [
        "unchanged",
        "unchanged",
    ]


@pytest.mark.parametrize(
    "platform, extra, folder",
    [
        ("linux", {}, "houdini20.5"),
        ("darwin", {}, "Library/Preferences/houdini/20.5"),
        ("win32", {}, "Documents/houdini20.5"),
        ("linux", {"HOUDINI_USER_PREF_DIR": "{home}/prefs/houdini__HVER__"}, "prefs/houdini20.5"),
        ("linux", {"HOUDINI_USER_PREF_DIR": "{home}/prefs/fixed"}, "prefs/fixed"),
    ],
)
def test_where_houdini_looks(home, platform, extra, folder):
    environ = env(home, USERPROFILE=str(home))
    environ.update({k: v.format(home=home) for k, v in extra.items()})
    (action,) = register("houdini", version="20.5", environ=environ, platform=platform)
    assert action.path == os.path.join(str(home), folder, "packages", "farmhand.json")


def test_no_houdini_found_asks_for_its_version(home):
    with pytest.raises(InstallInputError) as caught:
        register("houdini", environ=env(home), platform="linux")
    assert str(caught.value) == (
        "--version: no Houdini preferences folder in {} (looked for houdiniX.Y); start Houdini "
        "once, or name its version: --version 20.5".format(home)
    )
    with pytest.raises(InstallInputError) as caught:
        register("houdini", version="20", environ=env(home), platform="linux")
    assert str(caught.value) == "--version: Houdini's versions are major.minor (20.5), got '20'"


def test_a_package_file_farmhand_did_not_write_is_left_alone(home):
    packages = home / "houdini20.5" / "packages"
    packages.mkdir(parents=True)
    theirs = packages / "farmhand.json"
    theirs.write_text('{"description": "a studio package", "env": []}')
    for uninstall in (False, True):
        with pytest.raises(InstallError) as caught:
            register("houdini", uninstall=uninstall, environ=env(home), platform="linux")
        assert caught.value.path == str(theirs)
    assert theirs.read_text() == '{"description": "a studio package", "env": []}'
    assert str(caught.value) == (
        "{}: was not written by Farmhand's installer; it is left as it is (remove it by hand "
        "if it is Farmhand's)".format(theirs)
    )


# Clarisse ---------------------------------------------------------------------------------
SHIPPED_ENV = (
    "IX_PYTHON3HOME=/usr\r\nCLARISSE_STARTUP_SCRIPT=/studio/init.py\r\nIX_SHELF_CONFIG_FILE=\r\n"
)


def test_clarisse_startup_script_entry_and_launcher(home):
    prefs = home / ".isotropix" / "clarisse" / "5.0"
    prefs.mkdir(parents=True)
    env_file = prefs / "clarisse.env"
    env_file.write_bytes(SHIPPED_ENV.encode())
    actions = register("clarisse", environ=env(home), platform="linux")
    launcher = prefs / "farmhand_startup.py"
    assert verbs(actions) == [("wrote", str(launcher)), ("wrote", str(env_file))]
    assert env_file.read_bytes().decode() == (
        "IX_PYTHON3HOME=/usr\r\nCLARISSE_STARTUP_SCRIPT=/studio/init.py;{}\r\n"
        "IX_SHELF_CONFIG_FILE=\r\n".format(posix(str(launcher)))
    )
    assert [a.verb for a in register("clarisse", environ=env(home), platform="linux")] == [
        "unchanged",
        "unchanged",
    ]
    register("clarisse", uninstall=True, environ=env(home), platform="linux")
    assert env_file.read_bytes().decode() == SHIPPED_ENV
    assert not launcher.exists()


def test_the_clarisse_launcher_runs_the_installed_startup_script_without_file(home, tmp_path):
    """Clarisse runs start-up scripts from their text, without ``__file__``: the launcher
    runs Farmhand's as a file, which can then find its install folder."""
    prefs = home / "clarisse-prefs"
    register("clarisse", dest=str(prefs), environ=env(home), platform="linux")
    text = (prefs / "clarisse.env").read_text()
    assert text == "CLARISSE_STARTUP_SCRIPT={}\n".format(posix(str(prefs / "farmhand_startup.py")))
    launcher = (prefs / "farmhand_startup.py").read_text()
    startup = posix(os.path.join(STARTUP, "clarisse", "startup.py"))
    assert "_STARTUP = {!r}".format(startup) in launcher
    seen = {}
    code = launcher.replace(
        "exec(_code, ", "seen['code'] = _code; seen['globals'] = ("
    )
    exec(compile(code, "<clarisse start-up>", "exec"), {"seen": seen})  # no __file__ here
    assert seen["code"].co_filename == startup
    assert seen["globals"]["__file__"] == startup


def test_a_moved_install_replaces_its_old_launcher_entry(home):
    prefs = home / "prefs"
    prefs.mkdir()
    old = "/old/place/farmhand_startup.py"
    (prefs / "clarisse.env").write_text("CLARISSE_STARTUP_SCRIPT={};/studio/a.py\n".format(old))
    register("clarisse", dest=str(prefs), environ=env(home), platform="linux")
    new = posix(str(prefs / "farmhand_startup.py"))
    text = (prefs / "clarisse.env").read_text()
    assert text == "CLARISSE_STARTUP_SCRIPT=/studio/a.py;{}\n".format(new)


@pytest.mark.parametrize(
    "platform, folder",
    [
        ("linux", ".isotropix/clarisse/5.0"),
        ("darwin", "Library/Preferences/Isotropix/Clarisse/5.0"),
        ("win32", "AppData/Roaming/Isotropix/Clarisse/5.0"),
    ],
)
def test_where_clarisse_looks(home, platform, folder):
    actions = register(
        "clarisse", version="5.0", environ=env(home, USERPROFILE=str(home)), platform=platform
    )
    assert actions[-1].path == os.path.join(str(home), folder, "clarisse.env")


def test_no_clarisse_found_asks_for_its_version(home):
    with pytest.raises(InstallInputError) as caught:
        register("clarisse", environ=env(home), platform="linux")
    assert str(caught.value) == (
        "--version: no Clarisse preferences folder in {} (looked for X.Y); start Clarisse "
        "once, or name its version: --version 5.0".format(home / ".isotropix" / "clarisse")
    )


# Blender ----------------------------------------------------------------------------------
def test_blender_add_on_link_in_every_configuration_found(home):
    for version in ("3.4", "4.2"):
        (home / ".config" / "blender" / version).mkdir(parents=True)
    actions = register("blender", environ=env(home), platform="linux")
    links = [
        str(home / ".config" / "blender" / v / "scripts" / "addons" / "farmhand_blender.py")
        for v in ("3.4", "4.2")
    ]
    assert verbs(actions) == [("linked", links[0]), ("linked", links[1])]
    target = os.path.join(STARTUP, "blender", "farmhand_blender.py")
    assert all(os.readlink(link) == target for link in links)
    assert [a.verb for a in register("blender", environ=env(home), platform="linux")] == [
        "unchanged",
        "unchanged",
    ]
    register("blender", uninstall=True, environ=env(home), platform="linux")
    assert not any(os.path.lexists(link) for link in links)


def test_where_links_cannot_be_made_the_add_on_is_copied_with_the_folder(home, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "symlink", refuse)
    addons = home / "scripts" / "addons"
    (action,) = register(
        "blender", environ=env(home, BLENDER_USER_SCRIPTS=str(home / "scripts")), platform="linux"
    )
    assert action == ("wrote", str(addons / "farmhand_blender.py"))
    text = (addons / "farmhand_blender.py").read_text()
    assert text.startswith("# Farmhand's Blender add-on, written by python -m farmhand.install")
    assert "_FARMHAND_DIR = {!r}".format(os.path.dirname(PACKAGE)) in text
    assert "bl_info = {" in text  # Blender reads it from the file's text
    scripts = env(home, BLENDER_USER_SCRIPTS=str(home / "scripts"))
    register("blender", uninstall=True, environ=scripts)
    assert not (addons / "farmhand_blender.py").exists()


@pytest.mark.parametrize(
    "platform, extra, folder",
    [
        ("linux", {}, ".config/blender/4.2/scripts/addons"),
        ("linux", {"XDG_CONFIG_HOME": "{home}/xdg"}, "xdg/blender/4.2/scripts/addons"),
        ("darwin", {}, "Library/Application Support/Blender/4.2/scripts/addons"),
        ("win32", {}, "AppData/Roaming/Blender Foundation/Blender/4.2/scripts/addons"),
        ("linux", {"BLENDER_USER_SCRIPTS": "{home}/mine"}, "mine/addons"),
    ],
)
def test_where_blender_looks(home, platform, extra, folder):
    environ = env(home, USERPROFILE=str(home))
    environ.update({k: v.format(home=home) for k, v in extra.items()})
    (action,) = register("blender", version="4.2", environ=environ, platform=platform)
    assert action.path == os.path.join(str(home), folder, "farmhand_blender.py")


def test_someone_elses_add_on_of_that_name_is_left_alone(home):
    addons = home / "addons"
    addons.mkdir()
    (addons / "farmhand_blender.py").write_text("bl_info = {'name': 'not ours'}\n")
    with pytest.raises(InstallError) as caught:
        register("blender", dest=str(addons), environ=env(home))
    assert str(caught.value) == (
        "{}: exists and was not made by Farmhand's installer; move it away or choose another "
        "place with --dest".format(addons / "farmhand_blender.py")
    )


# every host ----------------------------------------------------------------------------
@pytest.mark.parametrize("host", ["maya", "houdini", "clarisse", "blender"])
def test_a_file_in_the_way_of_the_folder_is_named(home, host):
    blocker = home / "blocker"
    blocker.write_text("x")
    with pytest.raises(InstallError) as caught:
        register(host, dest=str(blocker / "sub"), environ=env(home))
    assert caught.value.path == str(blocker / "sub")
    assert str(caught.value).startswith("{}: cannot create the folder: ".format(blocker / "sub"))
    assert blocker.read_text() == "x"


@pytest.mark.parametrize(
    "host, name",
    [("maya", "farmhand.mod"), ("houdini", "farmhand.json"), ("clarisse", "farmhand_startup.py")],
)
def test_a_folder_where_the_file_goes_is_named(home, host, name):
    dest = home / "dest"
    (dest / name).mkdir(parents=True)
    with pytest.raises(InstallError) as caught:
        register(host, dest=str(dest), environ=env(home))
    assert str(caught.value) == (
        "{}: is in the way (not a file); remove it and run this again".format(dest / name)
    )
