"""``build_submission``: settings + host context (+ the farm's catalogue) -> ``Submission``.

The steps, each recording what is wrong in the validation report instead of stopping, so the
preview can show every problem at once: check the settings; resolve the instance type and
packages (through the catalogue when one is given); plan the frames (or take ``tasks_data``);
bind the tokens of the title, metadata, output path and task template; render the tasks;
merge the environment; resolve the uploads. A step whose input is already known to be bad is
skipped, so one mistake gives one message. Nothing is submitted here.

Without a catalogue (offline, or a farm that could not be reached): ``instance_type`` is taken
as given, ``machine_flavor`` + ``cores`` cannot be mapped to an instance type (an error that
says so), and the packages' own environments cannot be merged in (a warning).
"""

import getpass
from typing import Dict, FrozenSet, List, Mapping, Optional, Sequence, Tuple

from farmhand.core.catalogue import FLAVORS, Catalogue, InstanceType, SoftwarePackage
from farmhand.core.deps import MissingUpload, resolve_uploads
from farmhand.core.environment import MergedEnvironment, merge_environment
from farmhand.core.errors import InputError
from farmhand.core.frames import FramePlan, FrameSpec, plan_frames, resolve_scout_frames
from farmhand.core.job.context import HostContext
from farmhand.core.job.settings import SCAN_POLICIES, JobSettings
from farmhand.core.job.submission import Submission
from farmhand.core.job.tasks import (
    Task,
    TaskColumns,
    frames_of_tasks,
    generate_tasks,
    given_tasks,
    scout_task_indices,
)
from farmhand.core.job.token_values import job_token_values
from farmhand.core.tokens import Template, format_timestamp, submission_time
from farmhand.core.validation import (
    ValidationReport,
    check_dropped_task_scouts,
    check_empty_tokens,
    check_plan,
    check_settings,
    check_task_count,
    check_undefined_variables,
    check_uploads,
)

_PLAN_FIELDS = ("chunk_size", "chunk_strategy", "max_tasks", "tiles")


def resolve_instance(
    settings: JobSettings, catalogue: Optional[Catalogue], report: ValidationReport
) -> Tuple[str, Optional[InstanceType]]:
    """The payload's ``instance_type`` name, and its catalogue entry when known."""
    name = settings.instance_type.strip()
    if name:
        if catalogue is None:
            return name, None
        try:
            return name, catalogue.instance_type(name)
        except InputError as error:
            report.exception(error)
            return name, None
    flavor = settings.machine_flavor.strip()
    if not flavor and not settings.cores:
        offered = ""
        if catalogue is not None and catalogue.instance_types:
            offered = "; this farm offers: " + ", ".join(i.name for i in catalogue.instance_types)
        report.error(
            "instance_type",
            "is empty; choose an instance type (or machine_flavor and cores)" + offered,
        )
        return "", None
    if not flavor:
        report.error(
            "machine_flavor",
            "is empty; cores {} needs a flavor: {}".format(settings.cores, ", ".join(FLAVORS)),
        )
        return "", None
    if catalogue is None:
        report.error(
            "instance_type",
            "machine_flavor {!r} with {} cores needs the farm's catalogue to find its instance "
            "type, and none is available here; set instance_type instead".format(
                flavor, settings.cores
            ),
        )
        return "", None
    try:
        instance = catalogue.resolve_instance_type(flavor, settings.cores)
    except InputError as error:
        report.exception(error)
        return "", None
    return instance.name, instance


def resolve_packages(
    ids: List[str], catalogue: Optional[Catalogue], report: ValidationReport
) -> List[SoftwarePackage]:
    if not ids:
        return []
    if catalogue is None:
        report.warning(
            "software_package_ids",
            "the farm's catalogue is not available here, so the packages' environment is not "
            "merged in",
        )
        return []
    packages = []
    for package_id in ids:
        try:
            packages.append(catalogue.package(package_id))
        except InputError as error:
            report.exception(error)
    return packages


# Fields where a token with no value changes what runs or where files go: warned about. In a
# title or metadata an empty <job> is normal for a job without a host node.
_EMPTY_TOKENS_MATTER = ("task_template", "output_path")


def _template(
    text: str,
    scope: str,
    field: str,
    values: Mapping[str, object],
    report: ValidationReport,
    shell_words: Optional[Mapping[str, Sequence[str]]] = None,
) -> Optional[Template]:
    """Parse and bind a template; a bad token is reported and gives None. A command template
    passes ``shell_words`` (list tokens' items) so its values are quoted for the shell."""
    try:
        template = Template(text, scope, field)
    except InputError as error:
        report.exception(error)
        return None
    if field in _EMPTY_TOKENS_MATTER:
        check_empty_tokens(field, template.tokens, values, report)
    if shell_words is not None:
        return template.shell_bind(values, shell_words)
    return template.bind(values)


def _render_job_fields(
    settings: JobSettings, values: Mapping[str, object], report: ValidationReport
) -> Tuple[str, Dict[str, str], str]:
    title = _template(settings.job_title, "job", "job_title", values, report)
    # A title is display text: the gap an empty token leaves is closed up.
    job_title = " ".join(title.render({}).split()) if title is not None else ""
    metadata = {}
    for key in sorted(settings.metadata):
        bound = _template(settings.metadata[key], "job", "metadata." + key, values, report)
        metadata[key] = bound.render({}) if bound is not None else settings.metadata[key]
    output = _template(settings.output_path, "job", "output_path", values, report)
    output_path = output.render({}) if output is not None else settings.output_path
    return job_title, metadata, output_path


def _frames_text(settings: JobSettings, context: HostContext, report: ValidationReport) -> str:
    if settings.use_custom_frames:
        if not settings.frames.strip():
            report.error("frames", "is empty; give the frames to render, e.g. 1-100")
        return settings.frames
    if not context.frames.strip():
        report.error(
            "frames",
            "the host gave no frame range; turn on use_custom_frames and set frames",
        )
    return context.frames


def _plan(
    settings: JobSettings, context: HostContext, report: ValidationReport
) -> Optional[FramePlan]:
    text = _frames_text(settings, context, report)
    if not text.strip() or any(report.has_error(field) for field in _PLAN_FIELDS):
        return None
    try:
        return plan_frames(
            text,
            chunk_size=settings.chunk_size,
            strategy=settings.chunk_strategy,
            max_tasks=settings.max_tasks,
            best_chunk_size=settings.best_chunk_size,
            scout_frames=settings.scout_frames if settings.use_scout_frames else "",
            tiles=settings.tiles,
        )
    except InputError as error:
        report.exception(error)
        return None


def _owner(context: HostContext) -> str:
    if context.owner:
        return context.owner
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):  # no login name (some containers)
        return ""


def _given_tasks(
    settings: JobSettings, report: ValidationReport
) -> Tuple[Optional[List[Task]], Optional[FrameSpec], FrameSpec]:
    """``tasks_data`` as given: the tasks (``None`` when malformed), the frames they say they
    render (``None`` when none says), and the scout frames among those."""
    given: Optional[List[Task]] = None
    frames: Optional[FrameSpec] = None
    scouts = FrameSpec()
    try:
        given = given_tasks(settings.tasks_data or [])
        frames = frames_of_tasks(given)
    except InputError as error:
        report.exception(error)
    scout_text = settings.scout_frames if settings.use_scout_frames else ""
    if given is not None and scout_text.strip():
        if frames is None:
            report.warning(
                "scout_frames", "no task of tasks_data says its frames, so none is scouted"
            )
        else:
            try:
                resolved = resolve_scout_frames(scout_text, frames)
                scouts = resolved.frames
                check_dropped_task_scouts(resolved.dropped, report)
            except InputError as error:
                report.exception(error)
    return given, frames, scouts


def _environment(
    settings: JobSettings,
    packages: List[SoftwarePackage],
    environ: Optional[Mapping[str, str]],
    report: ValidationReport,
) -> MergedEnvironment:
    """The packages' environments, then the job's and the extra environment, merged; not
    tried when the settings checks already refused a variable (it would refuse it again)."""
    if any(
        message.field is not None
        and message.field.split("[", 1)[0] in ("environment", "extra_environment")
        for message in report.errors
    ):
        return MergedEnvironment({}, ())
    try:
        merged = merge_environment(
            packages, settings.environment, settings.extra_environment, environ
        )
    except InputError as error:
        report.exception(error)
        return MergedEnvironment({}, ())
    check_undefined_variables(merged.undefined, report)
    return merged


def _uploads(
    settings: JobSettings,
    context: HostContext,
    frames: Optional[FrameSpec],
    output_path: str,
    environ: Optional[Mapping[str, str]],
    report: ValidationReport,
) -> Tuple[List[str], List[MissingUpload]]:
    """The files to upload and the ones missing or unresolved (an unknown scan policy was
    already reported by the settings checks, so it resolves to nothing here). Files inside
    the rendered ``output_path`` are left out."""
    if settings.dependency_scan_policy not in SCAN_POLICIES:
        return [], []
    try:
        resolution = resolve_uploads(
            settings.upload_paths,
            context.file_references,
            settings.dependency_scan_policy,
            frames,
            environ=environ,
            output_path=output_path if not _has_token(output_path) else "",
        )
    except InputError as error:  # a host handed over impossible sequence attributes
        report.exception(error)
        return [], []
    check_uploads(resolution, report, settings.missing_files)
    return resolution.files, resolution.missing + resolution.unresolved


def _has_token(path: str) -> bool:
    """An output path whose tokens did not render (a bad token was reported) names no
    folder to leave out."""
    return "<" in path and ">" in path


def build_submission(
    settings: JobSettings,
    context: Optional[HostContext] = None,
    catalogue: Optional[Catalogue] = None,
    environ: Optional[Mapping[str, str]] = None,
) -> Submission:
    """Resolve ``settings`` into a ``Submission`` (see the module docstring).

    ``environ`` (default ``os.environ``) is where ``$VAR`` in extra environment values and
    ``SOURCE_DATE_EPOCH`` are read. Never raises for bad input: check ``submission.ok`` or
    call ``submission.check()``.
    """
    context = context if context is not None else HostContext()
    report = ValidationReport()
    check_settings(settings, report, catalogue)

    try:
        epoch, utc = submission_time(environ, context.timestamp)
    except InputError as error:
        report.exception(error)
        epoch, utc = 0.0, True
    timestamp = format_timestamp(epoch, utc)

    instance_name, instance = resolve_instance(settings, catalogue, report)
    package_ids = list(settings.software_package_ids or context.software_package_ids)
    packages = resolve_packages(package_ids, catalogue, report)

    plan: Optional[FramePlan] = None
    frames: Optional[FrameSpec] = None
    given: Optional[List[Task]] = None
    scouts = FrameSpec()
    scout_tasks: Optional[FrozenSet[int]] = None
    if settings.upload_only:
        if settings.use_custom_frames and settings.frames.strip():
            try:
                frames = FrameSpec.parse(settings.frames, "frames")
            except InputError as error:
                report.exception(error)
    elif settings.tasks_data is not None:
        given, frames, scouts = _given_tasks(settings, report)
        if given is not None:
            scout_tasks = frozenset(scout_task_indices(given, scouts))
    else:
        plan = _plan(settings, context, report)
        if plan is not None:
            frames = plan.frames
            scouts = plan.scout_frames
            check_plan(plan, report)

    values = job_token_values(settings, context, plan, frames, instance_name, instance, timestamp)
    job_title, metadata, output_path = _render_job_fields(settings, values, report)

    tasks: List[Task] = []
    columns: Optional[TaskColumns] = None
    if given is not None and not settings.upload_only:
        tasks = given
    elif plan is not None and settings.task_template.strip():
        template = _template(
            settings.task_template,
            "tile",
            "task_template",
            values,
            report,
            shell_words={"sources": context.sources},
        )
        if template is not None:
            columns = generate_tasks(template, plan, len(context.sources))
    count = len(columns.commands) if columns is not None else len(tasks)
    check_task_count(count, settings.upload_only, report)

    merged = _environment(settings, packages, environ, report)
    upload_files, missing = _uploads(settings, context, frames, output_path, environ, report)

    return Submission(
        settings=settings,
        context=context,
        validation=report,
        plan=plan,
        tasks=None if columns is not None else tasks,
        task_columns=columns,
        scout_frames=scouts,
        scout_tasks=scout_tasks,
        job_title=job_title,
        metadata=metadata,
        output_path=output_path,
        instance_type=instance_name,
        instance=instance,
        environment=merged.values,
        software_package_ids=package_ids,
        upload_files=upload_files,
        missing_uploads=missing,
        timestamp=timestamp,
        owner=_owner(context),
    )
