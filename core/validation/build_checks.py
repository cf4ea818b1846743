"""Checks on what a submission resolved to: frames, tasks, uploads, environment, tokens."""

from typing import Iterable, Mapping, Sequence

from farmhand.core.deps import UploadResolution
from farmhand.core.frames import FramePlan, FrameSpec
from farmhand.core.units import plural
from farmhand.core.validation.report import ValidationReport

_MAX_LISTED = 200


def _short(text: str) -> str:
    return text if len(text) <= _MAX_LISTED else text[: _MAX_LISTED - 3] + "..."


def check_plan(plan: FramePlan, report: ValidationReport) -> None:
    """Frames info, a chunk size raised by the task cap, scout frames that cannot be scouted."""
    report.info("frames", str(plan.info))
    report.info("chunk_size", "resolved chunk size {}".format(plan.chunk_size))
    if plan.chunk_size_raised:
        report.warning(
            "chunk_size",
            "raised from {} to {} so that the job stays within max_tasks {:,}".format(
                plan.requested_chunk_size, plan.chunk_size, plan.max_tasks
            ),
        )
    if plan.dropped_scout_frames:
        report.warning(
            "scout_frames",
            "{} {} outside the frames {} and will not be scouted".format(
                _short(str(plan.dropped_scout_frames)),
                "is" if len(plan.dropped_scout_frames) == 1 else "are",
                _short(str(plan.frames)),
            ),
        )


def check_dropped_task_scouts(dropped: FrameSpec, report: ValidationReport) -> None:
    if dropped:
        report.warning(
            "scout_frames",
            "{} {} in no task's frames and will not be scouted".format(
                _short(str(dropped)), "is" if len(dropped) == 1 else "are"
            ),
        )


def check_task_count(count: int, upload_only: bool, report: ValidationReport) -> None:
    if upload_only:
        report.info("upload_only", "upload-only job: files are uploaded, no task runs")
    elif count == 0 and report.ok:
        report.error("tasks_data", "the job has no tasks")
    else:
        report.info("tasks_data", "{:,} task{}".format(count, "" if count == 1 else "s"))


def check_uploads(
    resolution: UploadResolution, report: ValidationReport, missing_level: str = "error"
) -> None:
    """Every missing file and every reference the scan could not resolve is reported at
    ``missing_level`` (the job's ``missing_files``: a render without its textures is wasted
    time, so ``error`` by default); nothing the scan left out goes unsaid."""
    add = report.warning if missing_level == "warning" else report.error
    for missing in resolution.missing:
        add(_upload_field(missing.source), str(missing))
    for unresolved in resolution.unresolved:
        add(_upload_field(unresolved.source), "cannot resolve {}".format(unresolved))
    for directory in resolution.empty_directories:
        report.warning("upload_paths", "{} holds no files".format(directory))
    for link in resolution.skipped_links:
        report.warning(_upload_field(link.source), str(link))
    if resolution.excluded:
        report.info(
            "upload_paths",
            "{} inside output_path left out: {}".format(
                plural(len(resolution.excluded), "path"), _short(", ".join(resolution.excluded))
            ),
        )
    report.info("upload_paths", "{} to upload".format(plural(len(resolution.files), "file")))


def _upload_field(source: str) -> str:
    return "upload_paths" if source.startswith("upload_paths") else "dependencies"


def check_undefined_variables(names: Sequence[str], report: ValidationReport) -> None:
    for name in names:
        report.warning(
            "extra_environment",
            "${} is not set on this machine, so it is passed on as written".format(name),
        )


def check_empty_tokens(
    field: str, tokens: Iterable[str], values: Mapping[str, object], report: ValidationReport
) -> None:
    """A token used in a field whose value is empty here (the host did not supply it)."""
    for name in tokens:
        if name in values and values[name] == "":
            report.warning(
                field, "<{}> is empty here (nothing supplied a value for it)".format(name)
            )
