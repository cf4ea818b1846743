"""The README's two install steps, for real: ``pip install --target DIR`` of this checkout,
then ``python -m farmhand.install HOST`` run from DIR (nothing else on the path) writes, for
each host, files that lead the host to DIR's Farmhand; and in the real Blender, the linked
add-on enables and imports Farmhand from DIR."""

import json
import os
import shutil
import subprocess
import sys
import sysconfig

import pytest
from pip_target import install_target

from tests.conftest import require

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]


@pytest.fixture(scope="module")
def target(tmp_path_factory):
    return install_target(tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("DIR"))


def run_install(target, home, *args, extra_env=None):
    """``python -m farmhand.install ARGS`` with only DIR on the path, in a clean home."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "PYTHONPATH": target,
        "PYTHONNOUSERSITE": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, "-m", "farmhand.install"] + list(args),
        cwd=str(home),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        universal_newlines=True,
        timeout=60,
    )


def test_maya_from_a_target_folder(target, tmp_path):
    done = run_install(target, tmp_path, "maya")
    assert done.returncode == 0, done.stderr
    path = tmp_path / "maya" / "modules" / "farmhand.mod"
    assert done.stdout.splitlines() == [
        "maya: wrote {}".format(path),
        "maya: Farmhand from {}".format(target),
        "Start Maya and load farmhand_maya.py in Windows > Settings/Preferences > Plug-in "
        "Manager (tick Auto load): the Farmhand menu and shelf appear.",
    ]
    first, *settings = path.read_text().splitlines()
    root = first.split(" ", 3)[3]
    assert root == os.path.join(target, "farmhand", "startup", "maya")
    paths = dict(line.split(" +:= ") for line in settings)
    plugins = os.path.normpath(os.path.join(root, paths["MAYA_PLUG_IN_PATH"]))
    assert os.path.isfile(os.path.join(plugins, "farmhand_maya.py"))
    assert os.path.normpath(os.path.join(root, paths["PYTHONPATH"])) == target
    again = run_install(target, tmp_path, "maya")
    assert again.stdout.splitlines()[0] == "maya: already there {}".format(path)
    removed = run_install(target, tmp_path, "maya", "--uninstall")
    assert removed.stdout.splitlines() == ["maya: removed {}".format(path)]


def test_houdini_from_a_target_folder(target, tmp_path):
    (tmp_path / "houdini20.5").mkdir()
    done = run_install(target, tmp_path, "houdini")
    assert done.returncode == 0, done.stderr
    data = json.loads((tmp_path / "houdini20.5" / "packages" / "farmhand.json").read_text())
    houdini = os.path.join(target, "farmhand", "startup", "houdini")
    assert data["hpath"] == houdini
    assert os.path.isdir(os.path.join(houdini, "otls", "farmhand_job.hda"))
    (python_path,) = [e["PYTHONPATH"]["value"] for e in data["env"] if "PYTHONPATH" in e]
    assert os.path.normpath(python_path) == target


def test_clarisse_from_a_target_folder(target, tmp_path):
    prefs = tmp_path / ".isotropix" / "clarisse" / "5.0"
    prefs.mkdir(parents=True)
    (prefs / "clarisse.env").write_text("CLARISSE_STARTUP_SCRIPT=\n")
    done = run_install(target, tmp_path, "clarisse")
    assert done.returncode == 0, done.stderr
    launcher = prefs / "farmhand_startup.py"
    assert (prefs / "clarisse.env").read_text() == "CLARISSE_STARTUP_SCRIPT={}\n".format(launcher)
    startup = os.path.join(target, "farmhand", "startup", "clarisse", "startup.py")
    assert "_STARTUP = {!r}".format(startup) in launcher.read_text()
    assert os.path.isfile(startup)


def test_bad_input_and_unwritable_places_are_one_line(target, tmp_path):
    done = run_install(target, tmp_path, "houdini", "--version", "20")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "farmhand.install: error: --version: Houdini's versions are major.minor (20.5), "
        "got '20'\n"
    )
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    done = run_install(target, tmp_path, "maya", "--dest", str(blocker / "modules"))
    assert done.returncode == 1
    assert done.stderr.startswith(
        "farmhand.install: error: {}: cannot create the folder: ".format(blocker / "modules")
    )
    assert len(done.stderr.splitlines()) == 1
    done = run_install(target, tmp_path, "modo")
    assert done.returncode == 2 and "invalid choice: 'modo'" in done.stderr


def test_the_blender_add_on_loads_farmhand_from_the_target_folder(target, tmp_path):
    blender = shutil.which("blender")
    require(blender, "Blender (Debian's blender package, scripts/bootstrap.sh system)")
    scripts = tmp_path / "scripts"
    done = run_install(
        target, tmp_path, "blender", extra_env={"BLENDER_USER_SCRIPTS": str(scripts)}
    )
    assert done.returncode == 0, done.stderr
    link = scripts / "addons" / "farmhand_blender.py"
    assert os.readlink(str(link)) == os.path.join(
        target, "farmhand", "startup", "blender", "farmhand_blender.py"
    )
    report = tmp_path / "report.json"
    code = (
        "import addon_utils, json, sys\n"
        "module = addon_utils.enable('farmhand_blender', default_set=False, handle_error=None)\n"
        "import bpy, farmhand\n"
        "json.dump({'enabled': module is not None, 'farmhand': farmhand.__file__,\n"
        "           'panel': hasattr(bpy.types, 'RENDER_PT_farmhand')}, open(sys.argv[-1], 'w'))\n"
    )
    env = dict(os.environ)
    env.update(
        {
            "BLENDER_USER_SCRIPTS": str(scripts),
            # fileseq, requests and qtpy (installed with --no-deps): after DIR, which the
            # add-on puts first
            "PYTHONPATH": sysconfig.get_paths()["purelib"],
        }
    )
    ran = subprocess.run(
        [
            blender,
            "-b",
            "--factory-startup",
            "--python-use-system-env",
            "--python-exit-code",
            "1",
            "--python-expr",
            code,
            "--",
            str(report),
        ],
        cwd=str(tmp_path),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        universal_newlines=True,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stdout[-3000:]
    result = json.loads(report.read_text())
    assert result["enabled"] and result["panel"], ran.stdout[-3000:]
    assert result["farmhand"] == os.path.join(target, "farmhand", "__init__.py")
