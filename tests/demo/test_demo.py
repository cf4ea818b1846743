"""`make demo` end to end: Blender renders ten frames through the local farm.

Runs the very script `make demo` runs, in a throwaway work dir and FARMHAND_HOME, and stops
the farm it started. Blender is a real component: missing under CI=true is a failure.
"""

import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import require

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEMO = os.path.join(ROOT, "examples", "demo", "run.py")

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


def test_demo_renders_ten_frames_through_the_local_farm(tmp_path, farmhand_home):
    require(shutil.which("blender"), "Blender (apt-get install blender)")
    workdir = tmp_path / "demo"
    try:
        result = subprocess.run(
            [sys.executable, DEMO, "--workdir", str(workdir)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            universal_newlines=True,
            timeout=280,
        )
    finally:
        subprocess.run(
            [sys.executable, "-m", "farmhand", "farm", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    assert result.returncode == 0, result.stdout
    output = workdir / "output"
    images = sorted(p.name for p in output.iterdir())
    assert images == ["frame_{:04d}.png".format(f) for f in range(1, 11)]
    for name in images:
        data = (output / name).read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 2000
    # Scouts ran first and the rest was released: the task record says so.
    assert "success (scout)" in result.stdout
    assert "all 5 tasks succeeded" in result.stdout
    assert "Demo done: 10 frames rendered by Blender" in result.stdout
    # the command it suggests next runs as printed (from where `make demo` ran)
    suggested = result.stdout.rstrip().splitlines()[-1].split("`")[1].split()[0]
    assert shutil.which(suggested) or os.access(suggested, os.X_OK), suggested
