"""The add-on's operators: add and remove jobs, open the submitter, preview, submit, export.

Every operator runs its work through ``_FarmhandOperator.execute`` (and the export's
``invoke``), guarded by ``guards.operator_execute`` (``operator_invoke``): any error becomes
an error report (Blender's status bar, or the caller's ``RuntimeError`` for a script) after
it is logged, so nothing escapes into Blender's event handling.
"""

import json
import os
from typing import Any, Set, Tuple

import bpy
from bpy.props import BoolProperty, StringProperty
from bpy_extras.io_utils import ExportHelper

from farmhand.core.host import HostError, export_job_file
from farmhand.core.host.submit import preview_job, submit_job
from farmhand.plugins.blender import qt_window
from farmhand.plugins.blender.adapter import BlenderAdapter
from farmhand.plugins.blender.guards import operator_execute, operator_invoke
from farmhand.plugins.blender.job_node import BlenderJobNode
from farmhand.plugins.blender.messages import show_error
from farmhand.plugins.blender.submit_in_background import submit_later

PREVIEW_TEXT = "Farmhand preview"
NO_QT_HINT = (
    "use Preview and Submit in Render Properties > Farmhand, or Export Job File and run "
    "'farmhand submit FILE' in a shell"
)


def active_job(context: Any) -> Tuple[BlenderAdapter, BlenderJobNode]:
    """The scene's adapter and the job the panel shows."""
    scene = context.scene
    jobs = scene.farmhand_jobs
    if not len(jobs):
        raise HostError(
            "the scene {!r} has no Farmhand job; add one in Render Properties > Farmhand".format(
                scene.name
            ),
            "job node",
        )
    index = min(scene.farmhand_job_index, len(jobs) - 1)
    return BlenderAdapter(scene.name), BlenderJobNode(scene.name, jobs[index].name)


class _FarmhandOperator(bpy.types.Operator):
    bl_options = {"REGISTER"}

    @operator_execute
    def execute(self, context: Any) -> Set[str]:
        return self.run(context)

    def run(self, context: Any) -> Set[str]:
        raise NotImplementedError


class FARMHAND_OT_add_job(_FarmhandOperator):  # noqa: N801 (Blender requires X_OT_name)
    """Add a Farmhand job to this scene, set up from the scene's render settings"""

    bl_idname = "farmhand.add_job"
    bl_label = "Add Farmhand Job"
    bl_options = {"REGISTER", "UNDO"}

    name: StringProperty(name="Name", default="")  # type: ignore[valid-type]

    def run(self, context: Any) -> Set[str]:
        node = BlenderAdapter(context.scene.name).new_job(self.name)
        self.report({"INFO"}, "Added the Farmhand job {!r}".format(node.name))
        return {"FINISHED"}


class FARMHAND_OT_remove_job(_FarmhandOperator):  # noqa: N801 (Blender requires X_OT_name)
    """Remove the selected Farmhand job from this scene"""

    bl_idname = "farmhand.remove_job"
    bl_label = "Remove Farmhand Job"
    bl_options = {"REGISTER", "UNDO"}

    def run(self, context: Any) -> Set[str]:
        adapter, node = active_job(context)
        adapter.remove_job_node(node.name)
        return {"FINISHED"}


class FARMHAND_OT_open_submitter(_FarmhandOperator):  # noqa: N801 (Blender requires X_OT_name)
    """Open the Farmhand submitter for the selected job"""

    bl_idname = "farmhand.open_submitter"
    bl_label = "Farmhand Submitter"

    def run(self, context: Any) -> Set[str]:
        if not len(context.scene.farmhand_jobs):
            BlenderAdapter(context.scene.name).new_job()
        adapter, node = active_job(context)
        problem = qt_window.qt_problem()
        if problem:
            raise HostError("{}; {}".format(problem, NO_QT_HINT), "Qt")
        qt_window.open_submitter(adapter, node, show_error)
        return {"FINISHED"}


class FARMHAND_OT_preview(_FarmhandOperator):  # noqa: N801 (Blender requires X_OT_name)
    """Build the selected job and show exactly what would be submitted (no farm needed)"""

    bl_idname = "farmhand.preview"
    bl_label = "Farmhand Preview"

    def run(self, context: Any) -> Set[str]:
        adapter, node = active_job(context)
        submission = preview_job(adapter, node)
        lines = ["# {}".format(message) for message in submission.validation]
        text = bpy.data.texts.get(PREVIEW_TEXT) or bpy.data.texts.new(PREVIEW_TEXT)
        text.clear()
        text.write("\n".join(lines + [submission.payload_json()]))
        errors = len(submission.validation.errors)
        warnings = len(submission.validation.warnings)
        summary = "{}: {} tasks, {} files; {} errors, {} warnings (text {!r})".format(
            node.name,
            len(submission.tasks),
            len(submission.upload_files),
            errors,
            warnings,
            PREVIEW_TEXT,
        )
        print("Farmhand preview: " + summary)
        for message in submission.validation:
            print("  {}: {}".format(message.level, message))
        self.report({"WARNING"} if errors or warnings else {"INFO"}, summary)
        return {"FINISHED"}


class FARMHAND_OT_submit(_FarmhandOperator):  # noqa: N801 (Blender requires X_OT_name)
    """Submit the selected job to the farm (the local farm unless CONDUCTOR_URL is set)"""

    bl_idname = "farmhand.submit"
    bl_label = "Farmhand Submit"

    target: StringProperty(  # type: ignore[valid-type]
        name="Target",
        default="",
        description="local, a service URL (default: CONDUCTOR_URL or local)",
    )
    wait: BoolProperty(  # type: ignore[valid-type]
        name="Wait",
        default=False,
        description="Submit before returning (always so in a background session)",
    )

    def run(self, context: Any) -> Set[str]:
        adapter, node = active_job(context)
        if self.wait or bpy.app.background:
            result = submit_job(adapter, node, self.target or None)
            message = "submitted job {} ({} files, {} uploaded)".format(
                result.job_id, result.files, result.uploaded_files
            )
            print("Farmhand: " + message)
            context.scene["farmhand_last_job_id"] = result.job_id
            self.report({"INFO"}, message)
            return {"FINISHED"}

        def report(level: str, message: str) -> None:
            print(message)
            if level == "ERROR":
                show_error(message)

        submit_later(adapter, node, report, self.target)
        self.report({"INFO"}, "Farmhand: submitting {}...".format(node.name))
        return {"FINISHED"}


class FARMHAND_OT_export_job(_FarmhandOperator, ExportHelper):  # noqa: N801 (Blender requires X_OT_name)
    """Write the selected job as a job file for 'farmhand preview' and 'farmhand submit'"""

    bl_idname = "farmhand.export_job"
    bl_label = "Export Farmhand Job File"

    filename_ext = ".json"
    filter_glob: StringProperty(default="*.json", options={"HIDDEN"})  # type: ignore[valid-type]

    @operator_invoke
    def invoke(self, context: Any, event: Any) -> Set[str]:
        _, node = active_job(context)
        folder = os.path.dirname(bpy.data.filepath) or os.path.expanduser("~")
        self.filepath = os.path.join(folder, node.name + self.filename_ext)
        context.window_manager.fileselect_add(self)
        return {"RUNNING_MODAL"}

    def run(self, context: Any) -> Set[str]:
        adapter, node = active_job(context)
        submission = export_job_file(adapter, node, self.filepath)
        problems = len(submission.validation.errors)
        message = "wrote {}; run: farmhand submit {}".format(
            self.filepath, json.dumps(self.filepath)
        )
        if problems:
            message += " (the job has {} errors: see Farmhand Preview)".format(problems)
        print("Farmhand: " + message)
        self.report({"WARNING"} if problems else {"INFO"}, message)
        return {"FINISHED"}


CLASSES = (
    FARMHAND_OT_add_job,
    FARMHAND_OT_remove_job,
    FARMHAND_OT_open_submitter,
    FARMHAND_OT_preview,
    FARMHAND_OT_submit,
    FARMHAND_OT_export_job,
)
