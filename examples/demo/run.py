"""`make demo`: a Blender render, end to end, on the embedded local farm.

The demo does what an artist does, with the real commands, each printed before it runs:

1. builds a small scene in Blender (a textured cube turning; the texture is an external PNG),
2. writes a job file: frames 1-10, chunk size 2, scout frames 1 and 10,
3. previews it (`farmhand preview --info`),
4. submits it to the local farm, which starts on demand, runs the two scout tasks first,
   and releases the other three when the scouts succeed (`--release-on-scout-success`),
   while the progress line shows done/running/held tasks,
5. lists the task record (`farmhand jobs JOB`) and the ten rendered images.

Nothing is faked: Blender renders every frame through the local farm's executor. The demo
works in ``build/demo`` (recreated each run) and uses ``FARMHAND_HOME`` (default
``~/.farmhand``), so the job stays visible afterwards to ``farmhand jobs`` and the monitor.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
from typing import List

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FRAMES = "1-10"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def say(text: str) -> None:
    print("\n== {}".format(text), flush=True)


def run(command: List[str], capture: bool = False, shown: str = "") -> str:
    shown = shown or " ".join(command)
    print("$ {}".format(shown), flush=True)
    result = subprocess.run(
        command,
        stdout=subprocess.PIPE if capture else None,
        universal_newlines=True,
    )
    if result.returncode != 0:
        raise SystemExit(
            "demo: command failed with exit status {}: {}".format(result.returncode, shown)
        )
    return result.stdout if capture else ""


def farmhand(*args: str, capture: bool = False) -> str:
    return run(
        [sys.executable, "-m", "farmhand", *args],
        capture=capture,
        shown=" ".join(("farmhand",) + args),
    )


def find_blender() -> str:
    blender = shutil.which("blender")
    if not blender:
        raise SystemExit(
            "demo: Blender is not installed (scripts/bootstrap.sh system installs Debian's)"
        )
    return blender


def build_scene(blender: str, workdir: str) -> str:
    scene_dir = os.path.join(workdir, "scene")
    run(
        [
            blender,
            "-b",
            "--factory-startup",
            "--python-exit-code",
            "1",
            "--python",
            os.path.join(HERE, "build_scene.py"),
            "--",
            scene_dir,
        ],
        capture=True,
    )
    return scene_dir


def write_job(workdir: str, scene_dir: str, blender: str) -> str:
    output = os.path.join(workdir, "output")
    scene = os.path.join(scene_dir, "scene.blend")
    job = {
        "job_title": "Farmhand demo <sequence> (scouts <scout>)",
        "project": "default",
        "machine_flavor": "standard",
        "cores": 1,
        "frames": FRAMES,
        "chunk_size": 2,
        "scout_frames": "1,10",
        "task_template": (
            "{blender} -b {scene} -o {output}/frame_#### -F PNG -s <chunkstart> -e <chunkend> -a"
        ).format(blender=blender, scene=scene, output=output),
        "output_path": output,
        "upload_paths": [scene, os.path.join(scene_dir, "textures")],
        "retries": 1,
        "metadata": {"shot": "demo", "frames": "<sequence>"},
    }
    path = os.path.join(workdir, "demo_job.json")
    with open(path, "w") as handle:
        json.dump(job, handle, indent=2)
        handle.write("\n")
    return path


def check_images(output: str) -> List[str]:
    expected = ["frame_{:04d}.png".format(frame) for frame in range(1, 11)]
    found = sorted(os.listdir(output)) if os.path.isdir(output) else []
    missing = [name for name in expected if name not in found]
    if missing:
        raise SystemExit("demo: frames missing from {}: {}".format(output, ", ".join(missing)))
    for name in expected:
        with open(os.path.join(output, name), "rb") as handle:
            if handle.read(8) != PNG_MAGIC:
                raise SystemExit("demo: {} is not a PNG image".format(name))
    return expected


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description="Render a Blender job on the local farm.")
    parser.add_argument(
        "--workdir",
        default=os.path.join(ROOT, "build", "demo"),
        help="where the scene, job file and images go (recreated; default: build/demo)",
    )
    workdir = os.path.abspath(parser.parse_args(argv).workdir)
    shutil.rmtree(workdir, ignore_errors=True)
    os.makedirs(workdir)
    blender = find_blender()

    say("1. Build a Blender scene with an external texture")
    scene_dir = build_scene(blender, workdir)
    print("scene: {}".format(os.path.join(scene_dir, "scene.blend")))
    print("texture: {}".format(os.path.join(scene_dir, "textures", "grid.png")))

    say("2. Write the job file: frames 1-10, chunk size 2, scout frames 1 and 10")
    job_file = write_job(workdir, scene_dir, blender)
    with open(job_file) as handle:
        print(handle.read().rstrip())

    say("3. Preview what will run")
    farmhand("preview", "--info", job_file)

    say("4. Submit to the local farm; scouts first, the rest once they succeed")
    out = farmhand("submit", "--wait", "--release-on-scout-success", job_file, capture=True)
    job_id = out.strip().splitlines()[-1]

    say("5. The task record of job {}".format(job_id))
    farmhand("jobs", job_id)

    say("6. The rendered images")
    output = os.path.join(workdir, "output")
    for name in check_images(output):
        path = os.path.join(output, name)
        print("{}  {:>7} bytes".format(path, os.path.getsize(path)))
    print("\nDemo done: 10 frames rendered by Blender through the local farm (job {}).".format(
        job_id))
    command = farmhand_command()
    print("Watch it again with `{0} jobs {1}` or `{0} gui`; `{0} farm stop` stops the farm.".format(
        command, job_id))
    return 0


def farmhand_command() -> str:
    """The ``farmhand`` a reader can type next: ``make demo`` does not put the virtualenv on
    PATH, so a bare ``farmhand`` would be 'command not found' right after the demo."""
    script = os.path.join(os.path.dirname(sys.executable), "farmhand")
    if not os.access(script, os.X_OK) or shutil.which("farmhand") == script:
        return "farmhand"
    relative = os.path.relpath(script)
    return relative if not relative.startswith("..") else script


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
