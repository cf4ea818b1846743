"""The images (or layers) a FarmhandJob renders: each one's frames and where it writes.

Each image has its own sequence (``first_frame``, ``last_frame``, ``frame_step``); with custom
frames off, a job renders each image over its own range and the job's frames are their union.
Clarisse renders a frame asked for on the command line only when it lies in the image's range,
so every task can pass every image the same chunk (``<chunks>``, once per image) and each image
renders just its own frames of it; with custom frames on, the render package widens the ranges
to cover the custom frames (``covering_ranges``), as the seeds' submitter did.
"""

import os
from contextlib import contextmanager
from typing import Any, Iterator, List, Tuple

import ix

from farmhand.core.frames import FrameSpec
from farmhand.plugins.clarisse.paths import expand_path


def job_images(item: Any) -> List[Any]:
    """The images of the FarmhandJob ``item``'s ``images`` attribute, in its order."""
    objects = ix.api.OfObjectArray()
    item.get_attribute("images").get_values(objects)
    return list(objects)


def image_range(image: Any) -> Tuple[int, int, int]:
    first = int(image.get_attribute("first_frame").get_long())
    last = int(image.get_attribute("last_frame").get_long())
    step = int(image.get_attribute("frame_step").get_long())
    return first, max(first, last), max(1, step)


def image_frames(image: Any) -> FrameSpec:
    return FrameSpec.from_progressions([image_range(image)])


def images_frames(images: List[Any]) -> FrameSpec:
    specs = [image_frames(image) for image in images]
    return specs[0].union(*specs[1:])


def output_path(image: Any, base: str) -> str:
    """Where ``image`` writes (``save_as``, expanded), or ``""`` when it renders to no file."""
    if not image.get_attribute("render_to_disk").get_bool():
        return ""
    text = str(image.get_attribute("save_as").get_string())
    return expand_path(text, base) if text.strip() else ""


def output_directory(image: Any, base: str) -> str:
    path = output_path(image, base)
    return os.path.dirname(path) if path else ""


def common_output_folder(images: List[Any], base: str) -> str:
    """The folder holding every image's output folder (what the farm copies results back to),
    or ``""`` when they share none below the filesystem's root (nothing sensible to offer)."""
    folders = [folder for folder in (output_directory(i, base) for i in images) if folder]
    if not folders:
        return ""
    try:
        common = os.path.commonpath(folders)
    except ValueError:  # different drives
        return ""
    return "" if os.path.dirname(common) == common else common


def unrenderable_images(images: List[Any]) -> List[str]:
    """Why each image cannot render to a file on the farm, one line per image: Clarisse
    writes an image only with Render To Disk on and a file name in Save As, so without them
    a task would render and keep nothing."""
    problems = []
    for image in images:
        name = str(image.get_full_name())
        if not image.get_attribute("render_to_disk").get_bool():
            problems.append(
                "{} does not render to disk: turn on its Render To Disk and set a file name "
                "in Save As".format(name)
            )
        elif not str(image.get_attribute("save_as").get_string()).strip():
            problems.append(
                "{} has no file name in Save As: set the file it renders to".format(name)
            )
    return problems


@contextmanager
def covering_ranges(images: List[Any], frames: FrameSpec) -> Iterator[None]:
    """Each image's range widened to cover ``frames`` while the block runs, then put back."""
    names = ("first_frame", "last_frame", "frame_step")
    saved = [[image.get_attribute(name).get_long() for name in names] for image in images]
    try:
        for image in images:
            first, last, _ = image_range(image)
            image.get_attribute("first_frame").set_long(min(first, frames.first))
            image.get_attribute("last_frame").set_long(max(last, frames.last))
            image.get_attribute("frame_step").set_long(1)
        yield
    finally:
        for image, values in zip(images, saved):
            for name, value in zip(names, values):
                image.get_attribute(name).set_long(value)
