"""UV tiles become the tile files on disk; Maya's <f> becomes # placeholders."""

from farmhand.core.host import expand_tiles, frame_token_to_hashes, tile_path


def touch(folder, *names):
    for name in names:
        (folder / name).write_text("x")


def test_udim_tiles_on_disk(tmp_path):
    touch(
        tmp_path,
        "skin.1001.exr",
        "skin.1002.exr",
        "skin.1011.exr",
        "skin.999.exr",
        "skin.1001.tx",
        "other.1001.exr",
    )
    assert expand_tiles(str(tmp_path / "skin.<UDIM>.exr")) == [
        str(tmp_path / name) for name in ("skin.1001.exr", "skin.1002.exr", "skin.1011.exr")
    ]
    assert expand_tiles(str(tmp_path / "skin.<udim>.exr"))[0] == str(tmp_path / "skin.1001.exr")


def test_uvtile_and_zbrush_and_mudbox_tiles(tmp_path):
    touch(tmp_path, "a.u1_v1.png", "a.u2_v1.png", "b_u0_v0.png", "b_u1_v0.png", "c_u1_v2.png")
    assert expand_tiles(str(tmp_path / "a.<UVTILE>.png")) == [
        str(tmp_path / "a.u1_v1.png"),
        str(tmp_path / "a.u2_v1.png"),
    ]
    assert expand_tiles(str(tmp_path / "b_u<u>_v<v>.png")) == [
        str(tmp_path / "b_u0_v0.png"),
        str(tmp_path / "b_u1_v0.png"),
    ]
    assert expand_tiles(str(tmp_path / "c_u<U>_v<V>.png")) == [str(tmp_path / "c_u1_v2.png")]


def test_a_token_used_twice_must_hold_one_value(tmp_path):
    touch(tmp_path, "t.1001_1001.png", "t.1001_1002.png")
    assert expand_tiles(str(tmp_path / "t.<UDIM>_<UDIM>.png")) == [
        str(tmp_path / "t.1001_1001.png")
    ]


def test_tiles_the_host_lists_are_taken_as_they_are(tmp_path):
    pattern = str(tmp_path / "t.<UDIM>.png")
    assert expand_tiles(pattern, [1002, 1001, 1002]) == [
        str(tmp_path / "t.1001.png"),
        str(tmp_path / "t.1002.png"),
    ]
    assert tile_path("/x/t.<UVTILE>.png", 1012) == "/x/t.u2_v2.png"
    assert tile_path("/x/t_u<u>_v<v>.png", 1012) == "/x/t_u1_v1.png"


def test_no_tile_on_disk_keeps_the_pattern_so_it_is_reported_missing(tmp_path):
    pattern = str(tmp_path / "none.<UDIM>.png")
    assert expand_tiles(pattern) == [pattern]
    assert expand_tiles(str(tmp_path / "gone" / "x.<UDIM>.png")) == [
        str(tmp_path / "gone" / "x.<UDIM>.png")
    ]
    assert expand_tiles("/plain/file.png") == ["/plain/file.png"]


def test_frame_token_padding_comes_from_the_resolved_name():
    assert frame_token_to_hashes("/t/tex.<f>.exr", "/t/tex.0012.exr") == "/t/tex.####.exr"
    # a negative frame keeps its sign inside the padding, as core.deps writes ####
    assert frame_token_to_hashes("/t/tex.<f>.exr", "/t/tex.-012.exr") == "/t/tex.####.exr"
    assert frame_token_to_hashes("/t/tex.<frame>.exr") == "/t/tex.#.exr"
    assert frame_token_to_hashes("/t/tex.<f>.exr", "/t/other.0012.exr") == "/t/tex.#.exr"
    assert frame_token_to_hashes("/t/tex.exr", "/t/tex.exr") == "/t/tex.exr"


def test_animated_tiles_keep_their_frame_placeholders(tmp_path):
    touch(
        tmp_path,
        "skin.1001.0001.exr",
        "skin.1001.0002.exr",
        "skin.1002.0001.exr",
        "skin.1003.x.exr",
    )
    assert expand_tiles(str(tmp_path / "skin.<UDIM>.####.exr")) == [
        str(tmp_path / "skin.1001.####.exr"),
        str(tmp_path / "skin.1002.####.exr"),
    ]
    assert expand_tiles(str(tmp_path / "skin.<UDIM>.<f>.exr")) == [
        str(tmp_path / "skin.1001.<f>.exr"),
        str(tmp_path / "skin.1002.<f>.exr"),
    ]


def test_tiles_outside_the_udim_range_are_not_tiles(tmp_path):
    touch(tmp_path, "a_u10_v0.png", "a_u9_v0.png", "a_u0_v100.png")
    assert expand_tiles(str(tmp_path / "a_u<u>_v<v>.png")) == [str(tmp_path / "a_u9_v0.png")]


def test_frame_token_padding_when_the_name_also_has_tiles():
    resolved = "/t/fx.1001.0012.exr"
    assert frame_token_to_hashes("/t/fx.<UDIM>.<f>.exr", resolved) == "/t/fx.<UDIM>.####.exr"
