"""Checks on the settings alone: choices, bounds, emails, the project, the command source.

These run before anything is resolved, so the same messages appear for a job file, a widget
edit or a host node, each naming its setting. Checks that need the resolved frames, uploads or
environment are in ``build_checks``.
"""

import re
from typing import TYPE_CHECKING, Callable, Optional, Sequence

from farmhand.core.catalogue import Catalogue
from farmhand.core.deps.resolve import MISSING_FILE_LEVELS, SCAN_POLICIES
from farmhand.core.environment import MERGE_POLICIES
from farmhand.core.errors import InputError
from farmhand.core.frames.chunk_size import check_max_tasks
from farmhand.core.frames.chunking import check_strategy, check_whole_number
from farmhand.core.validation.report import ValidationReport

if TYPE_CHECKING:  # the job package imports validation; no import cycle at run time
    from farmhand.core.job.settings import JobSettings

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

# Deliberately simple: one @, no spaces or commas, a dot in the domain. Typos such as
# ``bob@``, ``bob.example.com`` or two addresses in one entry are what it is there to catch.
EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;.]+$")
VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def check_no_nul(command: str, field: str) -> None:
    """A command line cannot carry a NUL character (the OS ends each argument at one), so a
    command holding one would only fail on the farm; refuse it where it was typed."""
    position = command.find("\x00")
    if position >= 0:
        raise InputError(
            "holds a NUL character (\\x00) at position {}; a command line cannot carry"
            " one".format(position),
            field,
        )


def _catch(report: ValidationReport, check: Callable[[], None]) -> None:
    try:
        check()
    except InputError as error:
        report.exception(error)


def _choice(
    report: ValidationReport, field: str, value: str, valid: Sequence[str], what: str
) -> None:
    if value not in valid:
        report.error(
            field,
            "unknown {} {!r}; valid {}: {}".format(what, value, _plural(what), ", ".join(valid)),
        )


def _plural(what: str) -> str:
    last = what.split()[-1]
    return what[: -len(last)] + (last[:-1] + "ies" if last.endswith("y") else last + "s")


def check_choices(settings: "JobSettings", report: ValidationReport) -> None:
    _catch(report, lambda: check_strategy(settings.chunk_strategy))
    _choice(
        report,
        "dependency_scan_policy",
        settings.dependency_scan_policy,
        SCAN_POLICIES,
        "dependency scan policy",
    )
    _choice(report, "missing_files", settings.missing_files, MISSING_FILE_LEVELS, "level")
    _choice(report, "log_level", settings.log_level, LOG_LEVELS, "log level")
    for index, entry in enumerate(settings.extra_environment):
        where = "extra_environment[{}]".format(index)
        if not VARIABLE_NAME.match(entry.name):
            report.error(
                where + ".name",
                "{!r} is not a variable name (letters, digits and _, not starting with a "
                "digit)".format(entry.name),
            )
        _choice(report, where + ".merge_policy", entry.merge_policy, MERGE_POLICIES, "merge policy")
    for name in settings.environment:
        if not VARIABLE_NAME.match(name):
            report.error(
                "environment",
                "{!r} is not a variable name (letters, digits and _, not starting with a "
                "digit)".format(name),
            )


def check_numbers(settings: "JobSettings", report: ValidationReport) -> None:
    for field, minimum in (
        ("chunk_size", 1),
        ("tiles", 1),
        ("retries", 0),
        ("priority", 0),
        ("cores", 0),
        ("max_instances", 0),
    ):
        try:
            check_whole_number(field, getattr(settings, field), minimum)
        except InputError as error:
            report.exception(error)
    try:
        check_max_tasks(settings.max_tasks)
    except InputError as error:
        report.exception(error)


def check_farm(settings: "JobSettings", report: ValidationReport) -> None:
    """An unknown farm is refused here, before anything is built or reached."""
    if not settings.farm.strip():
        return
    from farmhand.core.connectors.target import check_farm as check_farm_name

    try:
        check_farm_name(settings.farm)
    except InputError as error:
        report.exception(error)


def check_notify(settings: "JobSettings", report: ValidationReport) -> None:
    for index, address in enumerate(settings.notify):
        if not EMAIL.match(address.strip()):
            report.error(
                "notify",
                "{!r} (entry {}) is not an email address such as name@example.com".format(
                    address, index + 1
                ),
            )


def check_commands(settings: "JobSettings", report: ValidationReport) -> None:
    """Where the commands come from: a task template, tasks_data, or nothing (upload only)."""
    if settings.upload_only:
        if settings.tasks_data:
            report.warning(
                "tasks_data", "ignored: an upload-only job runs no tasks (upload_only is on)"
            )
        return
    if settings.tasks_data is None and not settings.task_template.strip():
        report.error(
            "task_template",
            "is empty; give a command template such as 'blender -b scene.blend -s <chunkstart>"
            " -e <chunkend> -a', or tasks_data",
        )
    _catch(report, lambda: check_no_nul(settings.task_template, "task_template"))


def check_project(
    settings: "JobSettings", report: ValidationReport, catalogue: Optional[Catalogue]
) -> None:
    if not settings.project.strip():
        report.error("project", "is empty; choose the farm project the job belongs to")
    elif (
        catalogue is not None and catalogue.projects and settings.project not in catalogue.projects
    ):
        report.error(
            "project",
            "unknown project {!r}; this farm has: {}".format(
                settings.project, ", ".join(catalogue.projects)
            ),
        )


def check_output(settings: "JobSettings", report: ValidationReport) -> None:
    if not settings.output_path.strip() and not settings.upload_only:
        report.warning(
            "output_path", "is empty: rendered files will not be copied back to this machine"
        )


def check_settings(
    settings: "JobSettings", report: ValidationReport, catalogue: Optional[Catalogue] = None
) -> None:
    """Every check that needs only the settings (and the farm's catalogue when known)."""
    check_choices(settings, report)
    check_farm(settings, report)
    check_numbers(settings, report)
    check_notify(settings, report)
    check_commands(settings, report)
    check_project(settings, report, catalogue)
    check_output(settings, report)
