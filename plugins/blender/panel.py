"""Where the artist finds Farmhand: Render Properties > Farmhand, and Render > Farmhand."""

from typing import Any

import bpy

from farmhand.plugins.blender import qt_window
from farmhand.plugins.blender.guards import draw_function, list_row

DRAW = "Farmhand panel"
ROW = "Farmhand job list"
MENU = "Farmhand Render menu entries"


class FARMHAND_UL_jobs(bpy.types.UIList):  # noqa: N801 (Blender requires X_OT_name)
    """The scene's jobs, renamed in place."""

    @list_row(ROW)
    def draw_item(  # type: ignore[no-untyped-def]
        self, context, layout, data, item, icon, active_data, active_property, index=0,
        flt_flag=0,
    ):
        layout.prop(item, "name", text="", emboss=False, icon="RENDER_ANIMATION")


class RENDER_PT_farmhand(bpy.types.Panel):  # noqa: N801 (Blender requires X_OT_name)
    bl_label = "Farmhand"
    bl_space_type = "PROPERTIES"
    bl_region_type = "WINDOW"
    bl_context = "render"
    bl_options = {"DEFAULT_CLOSED"}

    @draw_function(DRAW)
    def draw(self, context: Any) -> None:
        """A failure is drawn in the panel and logged, never raised into Blender (which
        would print it on every redraw and leave the panel half-drawn)."""
        layout = self.layout
        scene = context.scene
        row = layout.row()
        row.template_list(
            "FARMHAND_UL_jobs", "", scene, "farmhand_jobs", scene, "farmhand_job_index", rows=2
        )
        buttons = row.column(align=True)
        buttons.operator("farmhand.add_job", icon="ADD", text="")
        buttons.operator("farmhand.remove_job", icon="REMOVE", text="")
        if not len(scene.farmhand_jobs):
            layout.label(text="Add a job to render this scene on a farm.")
            return
        job = scene.farmhand_jobs[min(scene.farmhand_job_index, len(scene.farmhand_jobs) - 1)]
        column = layout.column()
        column.use_property_split = True
        for field in ("job_title", "project", "instance_type"):
            column.prop(job, field)
        column.prop(job, "use_custom_frames")
        frames = column.row()
        frames.enabled = job.use_custom_frames
        frames.prop(job, "frames")
        column.prop(job, "chunk_size")
        column.prop(job, "use_scout_frames")
        scouts = column.row()
        scouts.enabled = job.use_scout_frames
        scouts.prop(job, "scout_frames")
        column.prop(job, "output_path")
        column.prop(job, "task_template")
        problem = qt_window.qt_problem()
        row = layout.row(align=True)
        submitter = row.row(align=True)
        submitter.enabled = not problem
        submitter.operator("farmhand.open_submitter", text="Submitter...", icon="WINDOW")
        row.operator("farmhand.preview", text="Preview", icon="HIDE_OFF")
        row.operator("farmhand.submit", text="Submit", icon="EXPORT")
        layout.operator("farmhand.export_job", text="Export Job File...", icon="FILE")
        if problem:
            box = layout.box()
            box.label(text="The full submitter needs Qt for Python:", icon="INFO")
            box.label(text=problem)


@draw_function(MENU)
def render_menu(self: Any, context: Any) -> None:
    """Appended to Blender's Render menu (``addon.register``)."""
    self.layout.separator()
    self.layout.operator("farmhand.open_submitter", text="Farmhand Submitter...", icon="WINDOW")
    self.layout.operator("farmhand.submit", text="Submit to Farmhand", icon="EXPORT")


CLASSES = (FARMHAND_UL_jobs, RENDER_PT_farmhand)
