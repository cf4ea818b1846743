"""The submitter as its own window, for command-line jobs: open a job file, edit it with the
same widgets every host shows, preview, submit, and save it back.

The window is the "host" of a job file: its job-building callback builds exactly what
``farmhand preview`` and ``farmhand submit`` build from the same file (no host context), so
the payload is the same bytes whichever tool made it. Saving keeps the paths the file wrote
relative to its folder relative, so a job file checked into a shot folder stays portable.
Closing the window or opening another file with unsaved edits asks first (Save, Discard,
Cancel), as any editor of a file does.
"""

import os
from typing import Any, Callable, Dict, Optional

from qtpy import QtGui, QtWidgets

from farmhand.core.errors import InputError
from farmhand.core.job import (
    HostContext,
    JobSettings,
    build_submission,
    job_file_context,
    load_job_file,
    read_job_file,
    save_job_file,
    settings_from_dict,
)
from farmhand.shared_ui.hooks import SubmitterHooks
from farmhand.shared_ui.screen_fit import resize_to_fit
from farmhand.shared_ui.submitter import SubmitterWidget
from farmhand.shared_ui.targets import FarmTarget

JOB_FILES = "Farmhand job files (*.json);;All files (*)"


def keep_relative_paths(settings: JobSettings, raw: Dict[str, Any], folder: str) -> JobSettings:
    """``settings`` with each path the file gave relatively written relatively again.

    ``load_job_file`` resolves relative ``upload_paths`` and ``output_path`` against the
    file's folder; a path the user did not change goes back as it was typed.
    """
    def resolved(field: str, value: Any) -> Any:
        return getattr(settings_from_dict({field: value}, base_dir=folder), field)

    if isinstance(raw.get("output_path"), str):
        original = raw["output_path"]
        if original != settings.output_path and resolved("output_path", original) == \
                settings.output_path:
            settings.output_path = original
    originals = raw.get("upload_paths")
    if isinstance(originals, list) and all(isinstance(p, str) for p in originals):
        by_absolute = dict(zip(resolved("upload_paths", originals), originals))
        settings.upload_paths = [by_absolute.get(path, path) for path in settings.upload_paths]
    return settings


class SubmitterWindow(QtWidgets.QMainWindow):
    """``farmhand gui [JOBFILE]``: the shared submitter around one job file."""

    def __init__(
        self,
        path: Optional[str] = None,
        target: Optional[FarmTarget] = None,
        parent: Optional[QtWidgets.QWidget] = None,
    ) -> None:
        super(SubmitterWindow, self).__init__(parent)
        self.setObjectName("SubmitterWindow")
        self.path: Optional[str] = None
        self._raw: Dict[str, Any] = {}
        self.modified = False
        self.file_dialog: Optional[QtWidgets.QFileDialog] = None
        self.unsaved_question: Optional[QtWidgets.QMessageBox] = None
        self._closing_unsaved = False
        settings = self._read(path) if path else JobSettings()
        self.path = os.path.abspath(path) if path else None
        hooks = SubmitterHooks(
            build_job=self.build_job,
            host_name="standalone",
            save_settings=self.save_settings,
        )
        self.submitter = SubmitterWidget(settings, hooks, target)
        self.setCentralWidget(self.submitter)
        self.submitter.form.changed.connect(self._on_changed)
        self._menus()
        resize_to_fit(self, 760, 980)
        self._update_title()

    # the host's side ------------------------------------------------------------------------
    def build_job(self, settings: JobSettings, catalogue: Any) -> Any:
        """Exactly what ``farmhand preview``/``submit`` build from the same job file."""
        context = job_file_context(self.path) if self.path else HostContext(job_name="untitled")
        return build_submission(settings, context, catalogue)

    def save_settings(self, settings: JobSettings) -> None:
        if self.path is None:
            self.save_as()
            return
        self.write(settings, self.path)

    def write(self, settings: JobSettings, path: str) -> None:
        folder = os.path.dirname(os.path.abspath(path))
        save_job_file(keep_relative_paths(settings, self._raw, folder), path)
        self._raw = read_job_file(path)
        self.path = os.path.abspath(path)
        self.modified = False
        self._update_title()

    # file menu ------------------------------------------------------------------------------
    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.open_action = file_menu.addAction("&Open...", self.ask_then_open_file)
        self.save_action = file_menu.addAction("&Save", self.submitter.save)
        self.save_as_action = file_menu.addAction("Save &as...", self.save_as)
        file_menu.addSeparator()
        self.quit_action = file_menu.addAction("&Quit", self.close)
        self.quit_action.setShortcut(QtGui.QKeySequence.Quit)
        farm_menu = self.menuBar().addMenu("F&arm")
        farm_menu.addAction("&Connect", self.submitter.connect_farm)
        farm_menu.addAction("&Monitor", self.submitter.open_monitor)
        for action, keys in ((self.open_action, "Ctrl+O"), (self.save_action, "Ctrl+S")):
            action.setShortcut(keys)

    def _read(self, path: str) -> JobSettings:
        settings = load_job_file(path)
        self._raw = read_job_file(path)
        return settings

    def open_path(self, path: str) -> bool:
        try:
            settings = self._read(path)
        except InputError as error:
            self.submitter.message.show_error(str(error))
            return False
        self.path = os.path.abspath(path)
        self.submitter.load(settings)
        self.modified = False
        self._update_title()
        return True

    # unsaved edits ---------------------------------------------------------------------------
    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if self.modified and not self._closing_unsaved:
            event.ignore()
            self.ask_to_save("closing", self._close_unsaved)
            return
        super(SubmitterWindow, self).closeEvent(event)

    def _close_unsaved(self) -> None:
        self._closing_unsaved = True
        self.close()

    def ask_then_open_file(self) -> Optional[Any]:
        if self.modified:
            return self.ask_to_save("opening another job file", self.open_file)
        return self.open_file()

    def ask_to_save(self, before: str, then: Callable[[], Any]) -> QtWidgets.QMessageBox:
        """Save, Discard or Cancel; ``then`` runs after a save that worked or a discard.
        Asked without blocking, like every dialog here (a host's event loop keeps running)."""
        box = QtWidgets.QMessageBox(self)
        box.setObjectName("unsaved_question")
        box.setIcon(QtWidgets.QMessageBox.Warning)
        box.setWindowTitle("Unsaved changes")
        box.setText("Save the changes to {} before {}?".format(self._name(), before))
        box.setInformativeText("Discard loses the edits made since the last save.")
        box.setStandardButtons(
            QtWidgets.QMessageBox.Save | QtWidgets.QMessageBox.Discard
            | QtWidgets.QMessageBox.Cancel
        )
        box.setDefaultButton(QtWidgets.QMessageBox.Save)
        box.setEscapeButton(QtWidgets.QMessageBox.Cancel)

        def answered(result: int) -> None:
            choice = box.standardButton(box.clickedButton())
            self.unsaved_question = None
            box.deleteLater()
            if choice == QtWidgets.QMessageBox.Discard:
                then()
            elif choice == QtWidgets.QMessageBox.Save:
                self.submitter.save()  # no file yet: opens Save as, and the user goes on
                if not self.modified:
                    then()

        box.finished.connect(answered)
        self.unsaved_question = box
        box.open()
        return box

    def open_file(self) -> QtWidgets.QFileDialog:
        dialog = self._file_dialog("Open a job file", QtWidgets.QFileDialog.AcceptOpen)
        dialog.fileSelected.connect(self.open_path)
        dialog.open()
        return dialog

    def save_as(self) -> QtWidgets.QFileDialog:
        dialog = self._file_dialog("Save the job file", QtWidgets.QFileDialog.AcceptSave)
        dialog.setDefaultSuffix("json")
        dialog.fileSelected.connect(self.save_to)
        dialog.open()
        return dialog

    def save_to(self, path: str) -> None:
        try:
            self.write(self.submitter.settings(), path)
        except (InputError, OSError) as error:
            self.submitter.message.show_error("Could not save: {}".format(error))
            return
        self.submitter.message.show_note("Saved {}.".format(path))

    def _file_dialog(self, title: str, mode: Any) -> QtWidgets.QFileDialog:
        folder = os.path.dirname(self.path) if self.path else os.getcwd()
        dialog = QtWidgets.QFileDialog(self, title, folder, JOB_FILES)
        dialog.setObjectName("job_file_dialog")
        dialog.setAcceptMode(mode)
        dialog.setOption(QtWidgets.QFileDialog.DontUseNativeDialog, True)
        dialog.finished.connect(dialog.deleteLater)
        self.file_dialog = dialog
        return dialog

    def _on_changed(self) -> None:
        if not self.modified:
            self.modified = True
            self._update_title()

    def _update_title(self) -> None:
        name = self._name()
        self.setWindowTitle("Farmhand - {}{}".format(name, " *" if self.modified else ""))

    def _name(self) -> str:
        return os.path.basename(self.path) if self.path else "untitled job"

    def settings(self) -> JobSettings:
        return self.submitter.settings()

