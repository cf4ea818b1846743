"""``farmhand preview`` of a job file whose ``upload_paths`` carry frame and tile patterns:
the payload lists the files they resolve to under ``dependency_scan_policy`` (smart: the
rendered frames, glob: every file of the sequence, none: the paths as written), and what is
missing or cannot be resolved is a validation message naming the entry (an error, or a
warning with ``missing_files: warning``), never silently dropped."""

import json
import os

import pytest

from farmhand.cli.main import main

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CATALOGUE = os.path.join(ROOT, "examples", "catalogue.json")


@pytest.fixture
def assets(tmp_path, monkeypatch):
    """A project folder: a 1000-frame background, two UDIM tiles, a scene named through an
    environment variable, and a previous render inside the output folder."""
    for frame in range(1, 1001):
        (tmp_path / "bg").mkdir(exist_ok=True)
        (tmp_path / "bg" / "bg.{:04d}.exr".format(frame)).write_bytes(b"")
    (tmp_path / "tex").mkdir()
    for tile in (1001, 1002):
        (tmp_path / "tex" / "wood.{}.tx".format(tile)).write_bytes(b"t")
    (tmp_path / "scenes").mkdir()
    (tmp_path / "scenes" / "shot 1 ü.ass").write_bytes(b"scene")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "old.0001.exr").write_bytes(b"old render")
    monkeypatch.setenv("FARMHAND_TEST_SCENES", str(tmp_path / "scenes"))
    return tmp_path


def write_job(folder, **changes):
    data = {
        "frames": "1-20",
        "instance_type": "standard-2",
        "task_template": "render -s <chunkstart> -e <chunkend>",
        "output_path": str(folder / "out"),
        "upload_paths": [
            "bg/bg.####.exr",
            "tex/wood.<UDIM>.tx",
            "$FARMHAND_TEST_SCENES/shot 1 ü.ass",
            "out",
        ],
    }
    data.update(changes)
    path = folder / "job.json"
    path.write_text(json.dumps(data))
    return str(path)


def preview(capsys, path, *args):
    code = main(["preview", "--catalogue", CATALOGUE] + list(args) + [path])
    out, err = capsys.readouterr()
    return code, out, err


def uploads(out, folder):
    return [os.path.relpath(p, str(folder)) for p in json.loads(out)["upload_paths"]]


def test_smart_lists_the_rendered_frames_tiles_and_expanded_paths(capsys, assets):
    code, out, err = preview(capsys, write_job(assets))
    assert (code, err) == (0, "")
    assert uploads(out, assets) == (
        ["bg/bg.{:04d}.exr".format(f) for f in range(1, 21)]
        + ["scenes/shot 1 ü.ass", "tex/wood.1001.tx", "tex/wood.1002.tx"]
    )  # the output folder's old render is left out


def test_glob_lists_every_file_of_the_sequence(capsys, assets):
    code, out, err = preview(capsys, write_job(assets, dependency_scan_policy="glob"))
    assert (code, err) == (0, "")
    assert len(uploads(out, assets)) == 1000 + 3


def test_info_counts_the_files_and_says_what_was_left_out(capsys, assets):
    code, out, err = preview(capsys, write_job(assets), "--info")
    assert (code, err) == (0, "")
    assert "info: upload_paths: 23 files to upload" in out.splitlines()


def test_missing_and_unresolved_entries_are_errors_naming_the_entry(capsys, assets, monkeypatch):
    monkeypatch.delenv("FARMHAND_TEST_UNSET", raising=False)
    path = write_job(
        assets,
        upload_paths=[
            "bg/bg.####.exr",
            "gone.txt",
            "tex/stone.<UDIM>.tx",
            "$FARMHAND_TEST_UNSET/a.exr",
            "bg/bg.$F * 2.exr",
        ],
        frames="995-1005",
    )
    code, out, err = preview(capsys, path)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "farmhand: error: upload_paths: {} (upload_paths[0]): 5 of 11 frames missing: "
        "1001-1005".format(assets / "bg" / "bg.####.exr"),
        "farmhand: error: upload_paths: {} (upload_paths[1]): does not exist".format(
            assets / "gone.txt"
        ),
        "farmhand: error: upload_paths: {} (upload_paths[2]): no tile on disk matches the "
        "tile pattern".format(assets / "tex" / "stone.<UDIM>.tx"),
        "farmhand: error: upload_paths: cannot resolve $FARMHAND_TEST_UNSET/a.exr "
        "(upload_paths[3]): $FARMHAND_TEST_UNSET is not set on this machine",
        "farmhand: error: upload_paths: cannot resolve {} (upload_paths[4]): the frame "
        "expression '$F * 2' is not evaluated; use a plain frame pattern (####, $F4) or add "
        "the files to upload_paths".format(assets / "bg" / "bg.$F * 2.exr"),
    ]


def test_missing_files_warning_prints_the_payload_with_what_was_found(capsys, assets):
    path = write_job(assets, upload_paths=["bg/bg.####.exr", "gone.txt"], missing_files="warning")
    code, out, err = preview(capsys, path)
    assert code == 0
    assert uploads(out, assets) == ["bg/bg.{:04d}.exr".format(f) for f in range(1, 21)]
    assert err == "farmhand: warning: upload_paths: {} (upload_paths[1]): does not exist\n".format(
        assets / "gone.txt"
    )


def test_policy_none_takes_paths_as_written_and_says_why_a_pattern_is_missing(capsys, assets):
    path = write_job(assets, upload_paths=["bg/bg.####.exr"], dependency_scan_policy="none")
    code, out, err = preview(capsys, path)
    assert (code, out) == (2, "")
    assert err == (
        "farmhand: error: upload_paths: {} (upload_paths[0]): does not exist (it holds a frame "
        "pattern, which dependency_scan_policy none does not expand: use smart or glob)\n".format(
            assets / "bg" / "bg.####.exr"
        )
    )


def test_an_unknown_policy_names_the_choices(capsys, assets):
    code, out, err = preview(capsys, write_job(assets, dependency_scan_policy="smart sequence"))
    assert (code, out) == (2, "")
    assert err == (
        "farmhand: error: dependency_scan_policy: unknown dependency scan policy "
        "'smart sequence'; valid dependency scan policies: none, smart, glob\n"
    )
