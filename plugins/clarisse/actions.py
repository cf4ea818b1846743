"""What the FarmhandJob's buttons and attribute changes do.

Connect, Best Chunk Size and the Frames Info line are Clarisse's own (attributes, presets, the
log). Preview, Submit and the three panels (packages, extra uploads, extra environment) open
the shared Qt submitter on the item when Clarisse has Qt for Python; without it they do what
can be done in the attribute editor and the log: Preview writes the exact payload next to the
render package, Submit submits without a window (progress in the log), Choose Packages fills
``packages`` with the farm's packages for this Clarisse, Manage Extra Uploads keeps what the
dependency scan finds in ``extra_uploads``, Manage Extra Environment checks the entries.
"""

import json
from typing import Any, Callable, Dict, List, Optional

import ix

from farmhand.core.connectors import connect
from farmhand.core.deps import resolve_uploads
from farmhand.core.errors import InputError
from farmhand.core.frames import FrameSpec, best_chunk_size, plan_frames
from farmhand.core.host.software import match_packages
from farmhand.core.host.submit import preview_job, submit_job
from farmhand.core.job.submission import Submission
from farmhand.plugins.clarisse.adapter import ClarisseAdapter
from farmhand.plugins.clarisse.attribute_values import (
    dynamic_value,
    set_dynamic_choices,
    set_string_list,
    string_list,
)
from farmhand.plugins.clarisse.images import common_output_folder, job_images
from farmhand.plugins.clarisse.job_node import ClarisseJobNode
from farmhand.plugins.clarisse.qt_submitter import QtUnavailableError, open_submitter

Environ = Optional[Dict[str, str]]


def show_error(message: str) -> None:
    ix.log_error(message)


def frames_info(adapter: ClarisseAdapter, node: ClarisseJobNode) -> str:
    """``10 frames, 5 tasks (chunk size 2), 2 scout frames in 2 tasks``, or what is wrong."""
    try:
        settings = node.read_settings()
        spec = adapter.job_frames(settings, node)
        if spec is None:  # not a plain frame spec: parsing it again raises why
            spec = FrameSpec.parse(
                settings.frames if settings.use_custom_frames else adapter.node_frame_range(node),
                "custom_frames",
            )
        plan = plan_frames(
            spec,
            settings.chunk_size,
            settings.chunk_strategy,
            settings.max_tasks,
            settings.best_chunk_size,
            settings.scout_frames if settings.use_scout_frames else "",
            settings.tiles,
        )
    except InputError as error:
        return "- {} -".format(error)
    return str(plan.info)


def update_frames_info(adapter: ClarisseAdapter, node: ClarisseJobNode) -> None:
    node.item().get_attribute("frames_info").set_string(frames_info(adapter, node))


def fill_output_path(adapter: ClarisseAdapter, node: ClarisseJobNode) -> None:
    """An empty ``output_path`` becomes the folder holding the images' output folders when
    images are added, so results come back where Clarisse writes them; one the artist set is
    never changed."""
    attr = node.item().get_attribute("output_path")
    if str(attr.get_string()).strip():
        return
    folder = common_output_folder(job_images(node.item()), adapter.project_dir())
    if folder:
        attr.set_string(folder)


def update_states(item: Any) -> None:
    """Show a field only while the switch it belongs to is on."""
    custom = item.get_attribute("use_custom_frames").get_bool()
    item.get_attribute("custom_frames").set_hidden(not custom)
    scouts = item.get_attribute("use_scout_frames").get_bool()
    item.get_attribute("scout_frames").set_hidden(not scouts)
    notify = item.get_attribute("notify").get_bool()
    item.get_attribute("email_addresses").set_read_only(not notify)


def refresh(adapter: ClarisseAdapter, node: ClarisseJobNode, environ: Environ = None) -> Any:
    """Connect: fill the project and instance type menus with the farm's, keeping the current
    choices, and the packages with the ones matching this Clarisse when none are chosen."""
    with connect(None, environ) as connector:
        catalogue = connector.catalogue()
        where = connector.describe()
    item = node.item()
    project = item.get_attribute("project")
    set_dynamic_choices(project, list(catalogue.projects), dynamic_value(project))
    instance = item.get_attribute("instance_type")
    names = [machine.name for machine in catalogue.instance_types]
    set_dynamic_choices(instance, names, dynamic_value(instance))
    ids, missing = match_packages(adapter.software(), catalogue)
    packages = item.get_attribute("packages")
    if not string_list(packages):
        set_string_list(packages, ids)
    ix.log_info(
        "Farmhand: connected to {}: {} projects, {} instance types{}".format(
            where,
            len(catalogue.projects),
            len(names),
            "; no package for " + ", ".join(p.label for p in missing) if missing else "",
        )
    )
    update_frames_info(adapter, node)
    return catalogue


def even_chunks(adapter: ClarisseAdapter, node: ClarisseJobNode) -> int:
    """Best Chunk Size: the smallest chunk size that keeps the number of chunks."""
    settings = node.read_settings()
    frames = adapter.job_frames(settings, node)
    if not frames:
        raise InputError("no frames to chunk: check the frames and images", "custom_frames")
    size = best_chunk_size(len(frames), settings.chunk_size)
    node.item().get_attribute("chunk_size").set_long(size)
    update_frames_info(adapter, node)
    return size


def log_submission(submission: Submission, path: str) -> None:
    """The preview in the log, and the exact payload written to ``path``."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(submission.payload_json())
    info = submission.frames_info
    ix.log_info(
        "Farmhand preview of {}: {}; {} files to upload; payload written to {}".format(
            submission.context.job_name,
            info if info is not None else "{} tasks".format(submission.task_count),
            len(submission.upload_files),
            path,
        )
    )
    for message in submission.errors:
        ix.log_error("Farmhand: {}".format(message))
    for message in submission.warnings:
        ix.log_warning("Farmhand: {}".format(message))


def _with_qt(
    adapter: ClarisseAdapter,
    node: ClarisseJobNode,
    action: Optional[str],
    fallback: Callable[[], Any],
) -> Any:
    try:
        return open_submitter(adapter, node, action, show_error)
    except QtUnavailableError as why:
        ix.log_info("Farmhand: the submitter window needs Qt for Python: {}".format(why))
        return fallback()


def preview(adapter: ClarisseAdapter, node: ClarisseJobNode) -> Any:
    def in_the_log() -> Submission:
        submission = preview_job(adapter, node)
        log_submission(submission, submission.context.render_package + ".payload.json")
        return submission

    return _with_qt(adapter, node, "preview", in_the_log)


def submit(adapter: ClarisseAdapter, node: ClarisseJobNode, environ: Environ = None) -> Any:
    def without_a_window() -> Any:
        def progress(event: Any) -> None:
            ix.log_info("Farmhand: {}".format(event))

        result = submit_job(adapter, node, None, progress, environ=environ)
        ix.log_info("Farmhand: submitted {} as job {}".format(node.name, result.job_id))
        return result

    return _with_qt(adapter, node, "submit", without_a_window)


def choose_packages(
    adapter: ClarisseAdapter, node: ClarisseJobNode, environ: Environ = None
) -> Any:
    def detected() -> List[str]:
        with connect(None, environ) as connector:
            catalogue = connector.catalogue()
        ids, missing = match_packages(adapter.software(), catalogue)
        set_string_list(node.item().get_attribute("packages"), ids)
        offered = [p.label for p in catalogue.hosts() if p.product == adapter.name]
        ix.log_info(
            "Farmhand: packages {}; this farm offers for clarisse: {}{}".format(
                ", ".join(ids) or "(none)",
                ", ".join(offered) or "(none)",
                "; none matches " + ", ".join(p.label for p in missing) if missing else "",
            )
        )
        return ids

    return _with_qt(adapter, node, None, detected)


def manage_extra_uploads(adapter: ClarisseAdapter, node: ClarisseJobNode) -> Any:
    def keep_the_scan() -> List[str]:
        settings = node.read_settings()
        frames = adapter.job_frames(settings, node)
        policy = (
            settings.dependency_scan_policy
            if settings.dependency_scan_policy != "none"
            else "smart"
        )
        references = adapter.file_references(frames)
        found = resolve_uploads(list(settings.upload_paths), references, policy, frames)
        set_string_list(node.item().get_attribute("extra_uploads"), list(found.files))
        ix.log_info(
            "Farmhand: {} files kept in extra_uploads{}".format(
                len(found.files),
                "; missing: " + "; ".join(str(m) for m in found.missing) if found.missing else "",
            )
        )
        return list(found.files)

    return _with_qt(adapter, node, None, keep_the_scan)


def manage_extra_environment(adapter: ClarisseAdapter, node: ClarisseJobNode) -> Any:
    def check() -> List[Any]:
        entries = node.read_settings().extra_environment
        for entry in entries:
            ix.log_info(
                "Farmhand: extra environment {} {} ({})".format(
                    entry.name, json.dumps(entry.value), entry.merge_policy
                )
            )
        return entries

    return _with_qt(adapter, node, None, check)
