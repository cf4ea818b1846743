"""Collecting upload files: directories recurse, duplicates collapse, missing entries fail."""

import os

import pytest

from farmhand.core.errors import InputError
from farmhand.core.transfer import LocalFile, collect_files, upload_file_entry


def make_tree(root):
    (root / "tex" / "sub").mkdir(parents=True)
    (root / "tex" / "b.png").write_bytes(b"b")
    (root / "tex" / "a.png").write_bytes(b"a")
    (root / "tex" / "sub" / "c.png").write_bytes(b"c")
    (root / "scene.blend").write_bytes(b"scene")
    return root


def test_directories_recurse_sorted_and_files_dedupe(tmp_path):
    root = make_tree(tmp_path)
    entries = [str(root / "scene.blend"), str(root / "tex"), str(root / "tex" / "a.png")]
    files = collect_files(entries)
    assert [os.path.relpath(f.path, str(root)) for f in files] == [
        "scene.blend",
        os.path.join("tex", "a.png"),
        os.path.join("tex", "b.png"),
        os.path.join("tex", "sub", "c.png"),
    ]
    assert all(os.path.isabs(f.path) for f in files)
    assert files[0].size == 5


def test_missing_entry_names_position_and_path(tmp_path):
    root = make_tree(tmp_path)
    with pytest.raises(InputError) as caught:
        collect_files([str(root / "scene.blend"), str(root / "nope.exr")])
    assert str(caught.value) == "upload_paths: entry 2 {!r}: no such file or directory".format(
        str(root / "nope.exr")
    )
    assert caught.value.field == "upload_paths"


@pytest.mark.parametrize("bad", ["", None, 5])
def test_bad_entry_type(bad):
    with pytest.raises(InputError) as caught:
        collect_files([bad])
    assert str(caught.value) == (
        "upload_paths: entry 1 is {!r}, expected a file or directory path".format(bad)
    )


def test_dangling_symlink_in_directory_is_skipped(tmp_path):
    root = make_tree(tmp_path)
    os.symlink(str(root / "gone"), str(root / "tex" / "dangling"))
    names = [os.path.basename(f.path) for f in collect_files([str(root / "tex")])]
    assert "dangling" not in names


def test_changed_detects_edits(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(b"one")
    local = LocalFile.from_path(str(path))
    assert not local.changed()
    path.write_bytes(b"one+")
    assert local.changed()
    path.unlink()
    assert local.changed()


def test_upload_file_entry_has_ciocore_fields(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(b"abc")
    entry = upload_file_entry(LocalFile.from_path(str(path)), "kAFQmDzST7DWlj99KOF/cg==")
    assert entry["md5"] == "kAFQmDzST7DWlj99KOF/cg=="
    assert entry["destination"] == str(path)
    assert entry["st_size"] == 3
    assert set(entry) >= {"st_mode", "st_ino", "st_dev", "st_mtime", "st_ctime", "st_atime"}


def test_unreadable_folder_is_an_error(tmp_path, monkeypatch):
    root = make_tree(tmp_path)
    real_scandir = os.scandir

    def scandir(path):
        if path.endswith("sub"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(InputError) as caught:
        collect_files([str(root / "tex")])
    assert str(
        caught.value
    ) == "upload_paths: cannot read the folder {!r}: Permission denied".format(
        str(root / "tex" / "sub")
    )


def test_links_to_folders_are_not_followed(tmp_path):
    root = make_tree(tmp_path)
    os.symlink(str(root / "tex"), str(root / "tex" / "sub" / "loop"))
    names = [os.path.relpath(f.path, str(root)) for f in collect_files([str(root / "tex")])]
    assert names == [
        os.path.join("tex", "a.png"),
        os.path.join("tex", "b.png"),
        os.path.join("tex", "sub", "c.png"),
    ]


@pytest.mark.parametrize(
    "entry",
    ["/a/b", "/a/b/", "/a/./b", "/a/../b", "//a/b", "/", "/a/b.c/", "~/x", "rel/x", "/a/.h"],
)
def test_absolute_paths_are_normalised_like_abspath(entry):
    from farmhand.core.transfer.files import _absolute

    assert _absolute(entry) == os.path.abspath(os.path.expanduser(entry))
