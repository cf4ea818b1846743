"""The job form: every section in one scrollable column, bound to one ``JobSettings``.

The form is the only place that sees the whole settings at once, so it owns what spans
sections: the frames info line (frames, chunking and scout frames together), routing a frame
spec error to the field that caused it, the Best chunk size button, and handing the farm's
catalogue to every section.
"""

import copy
from typing import Any, Callable, Dict, List, Optional

from qtpy import QtCore, QtWidgets
from qtpy.QtCore import Signal

from farmhand.core.job.settings import JobSettings
from farmhand.shared_ui.field_checks import check_emails, expand, undefined_warnings
from farmhand.shared_ui.frames_summary import FramesSummary, best_size, summarize
from farmhand.shared_ui.section import Section
from farmhand.shared_ui.sections.advanced import AdvancedSection
from farmhand.shared_ui.sections.environment import EnvironmentSection
from farmhand.shared_ui.sections.farm import FarmSection
from farmhand.shared_ui.sections.frames import FramesSection
from farmhand.shared_ui.sections.instance_type import InstanceTypeSection
from farmhand.shared_ui.sections.job import JobSection
from farmhand.shared_ui.sections.notify import NotifySection
from farmhand.shared_ui.sections.packages import PackagesSection
from farmhand.shared_ui.sections.scout import ScoutSection
from farmhand.shared_ui.sections.task_template import TaskTemplateSection
from farmhand.shared_ui.sections.uploads import UploadsSection
from farmhand.shared_ui.units import plural

# Recompute the frames info this long after the last keystroke: a 10-digit spec typed at
# full speed costs one computation, not ten.
INFO_DELAY_MS = 60


def copy_settings(settings: JobSettings) -> JobSettings:
    """A copy whose fields can be edited without touching ``settings``.

    ``tasks_data`` (100,000 tasks from a job file) is copied one level deep, each task's dict
    but not its values, which nothing edits: a full deep copy of it cost 0.3 s on every
    Preview, Submit and Save.
    """
    tasks = settings.tasks_data
    settings.tasks_data = None
    try:
        result = copy.deepcopy(settings)
    finally:
        settings.tasks_data = tasks
    result.tasks_data = None if tasks is None else [dict(task) for task in tasks]
    return result


class JobForm(QtWidgets.QWidget):
    """All sections; ``changed`` fires on any user edit, ``settings()`` reads them back."""

    changed = Signal()

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super(JobForm, self).__init__(parent)
        self.setObjectName("JobForm")
        self._base = JobSettings()
        self._host_frames = ""
        self.job = JobSection(self)
        self.farm = FarmSection(self)
        self.frames = FramesSection(self)
        self.scout = ScoutSection(self)
        self.instance_type = InstanceTypeSection(self)
        self.packages = PackagesSection(self)
        self.environment = EnvironmentSection(expand, self, warn=undefined_warnings)
        self.uploads = UploadsSection(self)
        self.task_template = TaskTemplateSection(self)
        self.notify = NotifySection(check_emails, self)
        self.advanced = AdvancedSection(self)
        self.sections: List[Section] = [
            self.job,
            self.farm,
            self.frames,
            self.scout,
            self.instance_type,
            self.packages,
            self.environment,
            self.uploads,
            self.task_template,
            self.notify,
            self.advanced,
        ]
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for section in self.sections:
            layout.addWidget(section)
            section.changed.connect(self._on_changed)
        layout.addStretch(1)
        # one label column for the whole form: each section's own form layout would size
        # its labels alone and the fields would start at a different place in every section
        width = max(section.label_width() for section in self.sections)
        for section in self.sections:
            section.set_label_width(width)
        self._info_timer = QtCore.QTimer(self)
        self._info_timer.setSingleShot(True)
        self._info_timer.setInterval(INFO_DELAY_MS)
        self._info_timer.timeout.connect(self.update_frames_info)
        self.frames.best_chunk_size_requested.connect(self.apply_best_chunk_size)
        self.last_summary: Optional[FramesSummary] = None

    # settings ------------------------------------------------------------------------------
    def load(self, settings: JobSettings) -> None:
        """Show ``settings``; fields no section owns are kept for ``settings()``."""
        self._base = copy_settings(settings)
        for section in self.sections:
            section.load(settings)
        self.update_frames_info()

    def settings(self) -> JobSettings:
        """A new ``JobSettings``: the loaded one with every section's fields as shown."""
        settings = copy_settings(self._base)
        for section in self.sections:
            section.store(settings)
        return settings

    def _frames_view(self) -> JobSettings:
        """What the frames info reads, without copying fields no section shows (a job file's
        ``tasks_data`` can hold 100,000 tasks; a deep copy per keystroke would lag)."""
        settings = copy.copy(self._base)
        for section in (self.frames, self.scout):
            section.store(settings)
        return settings

    def owned_fields(self) -> Dict[str, Section]:
        owners: Dict[str, Section] = {}
        for section in self.sections:
            for name in section.field_names():
                owners[name] = section
        return owners

    # context from the host and the farm -----------------------------------------------------
    def set_catalogue(self, catalogue: Any) -> None:
        for section in self.sections:
            section.set_catalogue(catalogue)

    def set_host_frames(self, spec: str) -> None:
        self._host_frames = spec
        self.frames.set_host_frames(spec)
        self.update_frames_info()

    def set_package_detector(self, detect: Optional[Callable[[Any], List[str]]]) -> None:
        self.packages.set_detector(detect)

    # frames info ---------------------------------------------------------------------------
    def update_frames_info(self) -> None:
        self._info_timer.stop()
        if self._base.tasks_data is not None:
            # the job model runs given tasks as they are; the frame settings do not apply
            summary = FramesSummary(
                info="{} given by tasks_data (the frame settings are not used)".format(
                    plural(len(self._base.tasks_data), "task")
                )
            )
        else:
            summary = summarize(self._frames_view(), self._host_frames)
        self.last_summary = summary
        self.frames.show_info(summary.info)
        self.frames.show_error(summary.frames_error)
        if summary.scout_error:
            self.scout.show_error(summary.scout_error)
        else:
            self.scout.show_warning(summary.scout_warning)

    def apply_best_chunk_size(self) -> None:
        size = best_size(self._frames_view(), self._host_frames)
        if size is not None:
            self.frames.apply_chunk_size(size)
        self.update_frames_info()

    def _on_changed(self) -> None:
        self._info_timer.start()
        self.changed.emit()
