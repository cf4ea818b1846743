"""Detected host and plug-in versions find the farm's packages (catalogue fields)."""

from farmhand.core.catalogue import Catalogue, SoftwarePackage
from farmhand.core.host import DetectedPackage, match_package, match_packages


def package(package_id, product, version, host="", host_version="", platform="linux"):
    parts = (version.split(".") + ["", "", ""])[:3]
    return SoftwarePackage(
        package_id=package_id,
        product=product,
        major_version=parts[0],
        minor_version=parts[1],
        release_version=parts[2],
        platform=platform,
        plugin_host_product=host,
        plugin_host_version=host_version,
    )


CATALOGUE = Catalogue(
    packages=(
        package("b341", "blender", "3.4.1"),
        package("b34", "blender", "3.4"),
        package("b402", "blender", "4.0.2"),
        package("m2022", "maya", "2022"),
        package("m2023", "maya", "2023"),
        package("m20223", "maya", "2022.3"),
        package("m2024w", "maya", "2024", platform="windows"),
        package("mtoa5", "mtoa", "5.1.0", "maya", "2022"),
        package("mtoa5b", "mtoa", "5.1.0", "maya", "2023"),
        package("rs3", "redshift", "3.5.1", "maya", ""),
    )
)


def ids(*detected):
    return match_packages(list(detected), CATALOGUE)


def test_the_exact_version_wins():
    assert (
        match_package(DetectedPackage("blender", "3.4.1", platform="linux"), CATALOGUE).package_id
        == "b341"
    )


def test_the_longest_agreeing_version_is_taken_when_none_is_exact():
    # the farm lists 2022 and 2022.3; the scene is 2022.3.1: 2022.3 agrees on more
    assert ids(DetectedPackage("maya", "2022.3.1", platform="linux"))[0] == ["m20223"]
    assert ids(DetectedPackage("maya", "2022.1", platform="linux"))[0] == ["m2022"]


def test_a_shorter_detected_version_takes_the_newest_that_agrees():
    assert ids(DetectedPackage("maya", "2022", platform="linux"))[0] == ["m2022"]
    assert ids(DetectedPackage("blender", "3", platform="linux"))[0] == ["b341"]


def test_products_and_platforms_must_match_and_case_does_not_matter():
    assert ids(DetectedPackage("Blender", "4.0.2", platform="linux"))[0] == ["b402"]
    result = ids(DetectedPackage("maya", "2024", platform="linux"))
    assert result == ([], [DetectedPackage("maya", "2024", platform="linux")])
    assert ids(DetectedPackage("maya", "2024", platform="windows"))[0] == ["m2024w"]


def test_plugins_match_their_host_version_and_an_unknown_one_matches_any():
    found = ids(
        DetectedPackage("maya", "2023", platform="linux"),
        DetectedPackage("mtoa", "5.1.0", "maya", "2023", platform="linux"),
        DetectedPackage("redshift", "3.5.1", "maya", "2023", platform="linux"),
    )
    assert found == (["m2023", "mtoa5b", "rs3"], [])


def test_what_the_farm_lacks_is_returned_by_name():
    missing = DetectedPackage("vray", "6.0", "maya", "2022", platform="linux")
    ids_found, unmatched = ids(DetectedPackage("maya", "2022", platform="linux"), missing)
    assert ids_found == ["m2022"] and unmatched == [missing]
    assert missing.label == "vray 6.0 for maya 2022"


def test_a_version_that_disagrees_is_not_matched():
    assert ids(DetectedPackage("blender", "2.93", platform="linux"))[0] == []
