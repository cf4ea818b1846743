"""Runs inside Blender for the Blender tests: builds scenes, drives the add-on, writes JSON.

    blender -b --factory-startup --python-exit-code 1 --python blender_driver.py -- \
        MODE OUTDIR RESULT.json

``FARMHAND_TEST_SITE`` names the site-packages of the test's virtualenv (Farmhand's editable
install, fileseq, requests, qtpy), added to Blender's own Python here. Modes:

- ``scenes``: one .blend per kind of dependency (textures, linked libraries, caches, media),
  each with a job; the adapter's context, the payload, the validation, the detected
  software and a job file exported for the CLI, per scene; the conformance suite;
- ``qt``: the shared Qt submitter opened from the add-on's operator (offscreen), a preview
  built through it and its settings saved to the job;
- ``noqt``: the same operator where Qt cannot be imported, then the panel's Preview;
- ``submit``: a small renderable scene submitted from the add-on's Submit operator to the
  local farm in ``FARMHAND_HOME``;
- ``guards``: every kind of function Blender calls into the add-on (register and unregister
  through ``addon_utils``, operators' execute and invoke, the panel's draw, the job list's
  rows, the Render menu entry, the error popup, the Submit timer) made to fail; what each
  reported, what was logged, and any exception that escaped.
"""

import json
import os
import shutil
import site
import struct
import sys
import traceback
import wave
import zlib


class NoQtBindings(object):
    """An import hook refusing every Qt binding: a Blender whose Python has no Qt."""

    BINDINGS = ("PySide2", "PySide6", "PyQt5", "PyQt6")

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in self.BINDINGS:
            raise ImportError("No module named {!r} (refused by the test)".format(name))
        return None


if sys.argv[sys.argv.index("--") + 1] == "noqt":
    sys.meta_path.insert(0, NoQtBindings())
site.addsitedir(os.environ["FARMHAND_TEST_SITE"])
sys.path.insert(
    0,
    os.path.join(
        os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "support"
    ),
)

import bpy  # noqa: E402

from farmhand.core.job.job_file import settings_to_dict  # noqa: E402
from farmhand.plugins.blender import addon  # noqa: E402
from farmhand.plugins.blender.adapter import BlenderAdapter  # noqa: E402


# files ------------------------------------------------------------------------------------
def png(path, rgb=(200, 80, 40)):
    """A valid 2x2 PNG (Blender loads it as a real image)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    rows = b"".join(b"\x00" + bytes(rgb) * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    with open(path, "wb") as handle:
        handle.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header))
        handle.write(chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    return path


def blob(path, text="x"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        handle.write(text)
    return path


def wav(path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with wave.open(path, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * 800)
    return path


def reset():
    """An empty, unsaved scene with the add-on registered (a factory reset disables the
    add-ons enabled in the preferences, not those registered by hand)."""
    bpy.ops.wm.read_factory_settings(use_empty=True)
    if not hasattr(bpy.types.Scene, "farmhand_jobs"):
        addon.register()
    return bpy.context.scene


def fresh(path):
    """An empty scene saved at ``path``, the add-on registered, frames 1-10."""
    scene = reset()
    scene.frame_start, scene.frame_end = 1, 10
    scene.render.filepath = "//render/beauty_"
    os.makedirs(os.path.dirname(path), exist_ok=True)
    bpy.ops.wm.save_as_mainfile(filepath=path)
    return scene


def texture_node(image, start=1, duration=1, offset=0, cyclic=False):
    material = bpy.data.materials.new("mat_" + image.name)
    material.use_nodes = True
    node = material.node_tree.nodes.new("ShaderNodeTexImage")
    node.image = image
    node.image_user.frame_start = start
    node.image_user.frame_duration = duration
    node.image_user.frame_offset = offset
    node.image_user.use_cyclic = cyclic
    material.use_fake_user = True
    return material


# scenes -----------------------------------------------------------------------------------
def scene_textures(root):
    path = os.path.join(root, "textures", "shot.blend")
    fresh(path)
    folder = os.path.dirname(path)
    plain = bpy.data.images.load(png(os.path.join(folder, "tex", "wood.png")))
    texture_node(plain)
    unused = bpy.data.images.load(png(os.path.join(folder, "tex", "unused but saved.png")))
    unused.use_fake_user = True
    # the seed's background: frames 101-130 on disk, frame 1 of the shot reads 0101
    for frame in range(101, 131):
        png(os.path.join(folder, "plates", "bg.{:04d}.png".format(frame)))
    background = bpy.data.images.load(os.path.join(folder, "plates", "bg.0101.png"))
    background.source = "SEQUENCE"
    texture_node(background, start=1, duration=30, offset=100)
    # a 3-frame loop that holds: frames 4-10 of the shot read its last file
    for frame in range(1, 4):
        png(os.path.join(folder, "loop", "flame_{:03d}.png".format(frame)))
    flame = bpy.data.images.load(os.path.join(folder, "loop", "flame_001.png"))
    flame.source = "SEQUENCE"
    texture_node(flame, start=1, duration=3, offset=0)
    # UDIM tiles: Blender finds 1001, 1002 and 1011 on disk; skin.1011.tx is no tile
    for tile in (1001, 1002, 1011):
        png(os.path.join(folder, "tex", "skin.{}.png".format(tile)))
    blob(os.path.join(folder, "tex", "skin.1011.tx"))
    skin = bpy.data.images.load(os.path.join(folder, "tex", "skin.1001.png"))
    skin.source = "TILED"
    texture_node(skin)
    # a texture deleted after it was loaded: reported missing, naming its path
    gone = bpy.data.images.load(png(os.path.join(folder, "tex", "deleted.png")))
    texture_node(gone)
    os.remove(gone.filepath)
    # relative path, packed image, generated image: only the first is a file to send
    relative = bpy.data.images.load(png(os.path.join(folder, "tex", "rel.png")))
    relative.filepath = "//tex/rel.png"
    texture_node(relative)
    packed = bpy.data.images.load(png(os.path.join(folder, "tex", "packed.png")))
    packed.pack()
    texture_node(packed)
    texture_node(bpy.data.images.new("generated", 4, 4))
    # an image empty and a camera background
    board = bpy.data.images.load(png(os.path.join(folder, "ref", "board.png")))
    empty = bpy.data.objects.new("board", None)
    empty.empty_display_type = "IMAGE"
    empty.data = board
    bpy.context.scene.collection.objects.link(empty)
    camera = bpy.data.cameras.new("cam")
    background_image = camera.background_images.new()
    background_image.image = bpy.data.images.load(png(os.path.join(folder, "ref", "layout.png")))
    bpy.context.scene.collection.objects.link(bpy.data.objects.new("cam", camera))
    bpy.ops.wm.save_mainfile()
    return path


def scene_linked(root):
    folder = os.path.join(root, "linked")
    library_path = os.path.join(folder, "assets", "props.blend")
    fresh(library_path)
    bpy.ops.mesh.primitive_cube_add()
    prop = bpy.context.active_object
    prop.name = "crate"
    crate = bpy.data.images.load(png(os.path.join(folder, "assets", "tex", "crate.png")))
    crate.filepath = "//tex/crate.png"  # relative to the library, not to the shot
    prop.data.materials.append(texture_node(crate))
    bpy.ops.wm.save_mainfile()
    path = os.path.join(folder, "shot.blend")
    fresh(path)
    with bpy.data.libraries.load(library_path, link=True, relative=True) as (source, target):
        target.objects = ["crate"]
    for obj in target.objects:
        bpy.context.scene.collection.objects.link(obj)
    bpy.ops.wm.save_mainfile()
    return path


def scene_caches(root):
    path = os.path.join(root, "caches", "shot.blend")
    scene = fresh(path)
    folder = os.path.dirname(path)
    # an Alembic sequence (this Blender has no Alembic, but keeps the cache's settings)
    for frame in range(1, 13):
        blob(os.path.join(folder, "abc", "anim.{:04d}.abc".format(frame)))
    bpy.ops.cachefile.open(filepath=os.path.join(folder, "abc", "anim.0001.abc"))
    bpy.data.cache_files[0].is_sequence = True
    # a single cache, with the frame overridden
    blob(os.path.join(folder, "abc", "still.abc"))
    bpy.ops.cachefile.open(filepath=os.path.join(folder, "abc", "still.abc"))
    # a VDB sequence of 5 frames starting at scene frame 3, extended at both ends
    for frame in range(1, 6):
        blob(os.path.join(folder, "vdb", "smoke_{:04d}.vdb".format(frame)))
    volume = bpy.data.volumes.new("smoke")
    volume.filepath = "//vdb/smoke_0001.vdb"
    volume.is_sequence = True
    volume.frame_start, volume.frame_duration, volume.sequence_mode = 3, 5, "EXTEND"
    volume.use_fake_user = True
    # particles baked to the default disk cache, frames 1-6
    bpy.ops.mesh.primitive_plane_add()
    emitter = bpy.context.active_object
    emitter.name = "Emitter"
    emitter.modifiers.new("particles", "PARTICLE_SYSTEM")
    system = emitter.particle_systems[0]
    system.settings.count = 5
    system.settings.frame_end = 2
    cache = system.point_cache
    cache.use_disk_cache = True
    cache.frame_end = 6
    with bpy.context.temp_override(point_cache=cache):
        bpy.ops.ptcache.bake(bake=True)
    # a fluid domain with a baked cache folder
    bpy.ops.mesh.primitive_cube_add()
    domain = bpy.context.active_object
    fluid = domain.modifiers.new("fluid", "FLUID")
    fluid.fluid_type = "DOMAIN"
    fluid.domain_settings.cache_directory = "//fluid_cache"
    blob(os.path.join(folder, "fluid_cache", "data", "fluid_data_0001.vdb"))
    scene.frame_current = 1
    bpy.ops.wm.save_mainfile()
    return path


def scene_media(root):
    path = os.path.join(root, "media", "shot.blend")
    scene = fresh(path)
    folder = os.path.dirname(path)
    bpy.data.sounds.load(wav(os.path.join(folder, "audio", "dialog.wav"))).use_fake_user = True
    font_path = os.path.join(folder, "fonts", "title.ttf")
    os.makedirs(os.path.dirname(font_path), exist_ok=True)
    shutil.copyfile("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", font_path)
    bpy.data.fonts.load(font_path).use_fake_user = True
    bpy.data.texts.load(blob(os.path.join(folder, "scripts", "driver.py"), "x = 1\n"))
    bpy.data.texts.new("in memory only").write("y = 2\n")
    material = bpy.data.materials.new("osl")
    material.use_nodes = True
    material.use_fake_user = True
    script = material.node_tree.nodes.new("ShaderNodeScript")
    script.mode = "EXTERNAL"
    script.filepath = blob(os.path.join(folder, "osl", "noise.osl"), "shader n() {}\n")
    # a tracked plate: a movie clip sequence whose first file is 0051
    for frame in range(51, 71):
        png(os.path.join(folder, "clip", "plate.{:04d}.png".format(frame)))
    clip = bpy.data.movieclips.load(os.path.join(folder, "clip", "plate.0051.png"))
    clip.frame_start = 1
    clip.use_fake_user = True
    # a sequencer image strip of three files
    editor = scene.sequence_editor_create()
    strip = editor.sequences.new_image(
        "titles", png(os.path.join(folder, "titles", "t1.png")), 1, 1
    )
    for name in ("t2.png", "t3.png"):
        strip.elements.append(name)
        png(os.path.join(folder, "titles", name))
    bpy.ops.wm.save_mainfile()
    return path


SCENES = (
    ("textures", scene_textures),
    ("linked", scene_linked),
    ("caches", scene_caches),
    ("media", scene_media),
)


# Per scene: the caches job renders 1-12, past the particle cache's 1-10 (its files are then
# named one by one) and the volume's extended range.
CUSTOM_FRAMES = {"caches": "1-12"}


def job_settings(name, node, root):
    settings = node.read_settings()
    if name in CUSTOM_FRAMES:
        settings.use_custom_frames = True
        settings.frames = CUSTOM_FRAMES[name]
    settings.instance_type = "standard-2"
    settings.chunk_size = 2
    settings.scout_frames = "1"
    settings.output_path = os.path.join(root, "out")
    return settings


def record_scene(name, path, root):
    adapter = BlenderAdapter()
    node = adapter.new_job("lighting")
    node.write_settings(job_settings(name, node, root))
    adapter.new_job("fx")  # a second job in the same scene
    bpy.ops.wm.save_mainfile()
    submission = adapter.build(adapter.job_node("lighting"))
    exported = os.path.join(root, "exported", name + ".json")
    from farmhand.core.host import export_job_file

    export_job_file(adapter, adapter.job_node("lighting"), exported)
    context = submission.context
    return {
        "scene": path,
        "jobs": [n.name for n in adapter.job_nodes()],
        "context": {
            "job_name": context.job_name,
            "submitter": context.submitter,
            "sources": context.sources,
            "output_directories": context.output_directories,
            "pdir": context.pdir,
            "render_package": context.render_package,
            "frames": context.frames,
            "file_references": [[r.path, r.frame_offset] for r in context.file_references],
        },
        "payload": json.loads(submission.payload_json()),
        "validation": [str(message) for message in submission.validation],
        "software": [list(item) for item in adapter.software()],
        "exported": exported,
        "settings": settings_to_dict(adapter.job_node("lighting").read_settings()),
    }


def mode_scenes(root, results):
    import host_conformance

    for name, build in SCENES:
        try:
            results[name] = record_scene(name, build(root), root)
        except Exception:
            results[name] = {"error": traceback.format_exc()}
    fresh(os.path.join(root, "conformance", "shot.blend"))
    results["conformance"] = host_conformance.run_all(BlenderAdapter())


# Qt ---------------------------------------------------------------------------------------
def mode_qt(root, results):
    from qtpy import QtWidgets

    from farmhand.shared_ui.dialog import _OPEN

    fresh(os.path.join(root, "qt", "shot.blend"))
    png(os.path.join(root, "qt", "tex", "a.png"))
    texture_node(bpy.data.images.load(os.path.join(root, "qt", "tex", "a.png")))
    bpy.ops.wm.save_mainfile()
    assert bpy.ops.farmhand.open_submitter() == {"FINISHED"}
    dialog = next(iter(_OPEN))
    app = QtWidgets.QApplication.instance()
    app.processEvents()
    submitter = dialog.submitter
    results["title"] = dialog.windowTitle()
    results["binding"] = __import__("qtpy").API_NAME
    settings = submitter.settings()
    settings.use_custom_frames = True
    settings.frames = "3-6"
    settings.instance_type = "standard-2"
    submitter.load(settings)
    submission = submitter.build()
    results["message"] = submitter.message.text() if hasattr(submitter.message, "text") else ""
    results["tasks"] = [t["command"] for t in submission.tasks] if submission is not None else None
    results["uploads"] = list(submission.upload_files) if submission is not None else None
    submitter.save()
    from farmhand.plugins.blender.adapter import BlenderAdapter as Adapter

    results["saved_frames"] = Adapter().job_nodes()[0].read_settings().frames
    from farmhand.plugins.blender import qt_window

    results["pump_while_open"] = qt_window._pump()
    dialog.close()
    app.processEvents()
    results["pump_after_close"] = qt_window._pump()
    # a failure in the timer is shown (recorded here through report_error, which guarded
    # calls), and stops the timer instead of raising into Blender
    import farmhand.core.host.callbacks as callbacks

    shown = []
    real_application, real_report = qt_window._application, callbacks.report_error

    def broken():
        raise RuntimeError("no display")

    def recording(what, error, show=None):
        return real_report(what, error, shown.append)

    qt_window._application, callbacks.report_error = broken, recording
    try:
        results["pump_failing"] = qt_window._pump()
    finally:
        qt_window._application, callbacks.report_error = real_application, real_report
    results["pump_failure_shown"] = shown


class RecordingLayout:
    """Stands in for the ``UILayout`` Blender hands a panel's or menu's ``draw`` (nothing is
    drawn in a background session): records the labels and the operators' names, accepts the
    rest. ``failing`` names what raises: a method (``{"prop": error}``; ``label`` fails once)
    or one operator (``{"operator farmhand.submit": error}``)."""

    def __init__(self, labels, failing=None):
        self.labels = labels
        self.operators = []
        self.failing = dict(failing or {})
        self.use_property_split = False
        self.enabled = True
        self.operator_context = "INVOKE_DEFAULT"

    def label(self, text="", icon="NONE"):
        if "label" in self.failing:
            raise self.failing.pop("label")
        self.labels.append([text, icon])

    def operator(self, idname, *args, **kwargs):
        if "operator " + idname in self.failing:
            raise self.failing["operator " + idname]
        self.operators.append(idname)
        return type("OperatorProperties", (), {})()  # menus set properties on it

    def __getattribute__(self, name):
        failing = object.__getattribute__(self, "failing")
        if name in failing and name != "label":
            error = failing[name]

            def fail(*args, **kwargs):
                raise error

            return fail
        return object.__getattribute__(self, name)

    def _nested(self, *args, **kwargs):
        return self

    row = column = box = _nested

    def _ignored(self, *args, **kwargs):
        return None

    prop = template_list = separator = _ignored


def panel_labels(breaking=None):
    """The labels the Farmhand panel draws for the current scene; ``breaking`` replaces
    ``qt_window.qt_problem`` for the draw (a failure inside it)."""
    from farmhand.plugins.blender import panel, qt_window

    labels = []
    stand_in = stand_in_with_layout(RecordingLayout(labels))
    real = qt_window.qt_problem
    if breaking is not None:
        qt_window.qt_problem = breaking
    try:
        panel.RENDER_PT_farmhand.draw(stand_in, bpy.context)
    finally:
        qt_window.qt_problem = real
    return labels


def stand_in_with_layout(layout):
    """A panel, menu or list for calling its class's functions outside a redraw."""
    return type("StandIn", (), {"layout": layout})()


def operator_error(operator, *how, **arguments):
    """The error an operator reports (raised to a calling script), or None."""
    try:
        operator(*how, **arguments)
    except RuntimeError as error:
        return str(error).strip()
    return None


def mode_noqt(root, results):
    """Qt cannot be imported (the test forces a binding that is not installed); the add-on is
    enabled as an artist enables it, from ``startup/blender`` linked into the user's
    ``scripts/addons`` (``BLENDER_USER_SCRIPTS``); bad input gets its messages."""
    import addon_utils

    results["enabled"] = addon_utils.enable("farmhand_blender", default_set=True) is not None
    results["registered"] = hasattr(bpy.types.Scene, "farmhand_jobs")
    reset()
    errors = results["errors"] = {}
    errors["no job"] = operator_error(bpy.ops.farmhand.preview)
    bpy.ops.farmhand.add_job()
    errors["unsaved"] = operator_error(bpy.ops.farmhand.preview)
    try:
        BlenderAdapter().save_render_package(os.path.join(root, "noqt", "package.blend"))
    except Exception as error:  # noqa: BLE001 - recorded for the test
        errors["package of an unsaved file"] = str(error)
    fresh(os.path.join(root, "noqt", "shot.blend"))
    bpy.ops.farmhand.add_job(name="shot job")
    bpy.context.scene.farmhand_jobs["shot job"].farmhand_settings = '{"priority": "high"}'
    errors["bad settings"] = operator_error(bpy.ops.farmhand.preview)
    node = BlenderAdapter().job_node("shot job")
    bpy.ops.farmhand.remove_job()
    try:
        node.read_settings()
    except Exception as error:  # noqa: BLE001 - recorded for the test
        errors["removed"] = str(error)
    try:
        BlenderAdapter().job_node("shot job")
    except Exception as error:  # noqa: BLE001 - recorded for the test
        errors["unknown"] = str(error)
    bpy.ops.farmhand.add_job(name="drawn")
    results["panel_labels"] = panel_labels()

    def broken():
        raise KeyError("farmhand_jobs")

    results["panel_failing"] = panel_labels(broken)
    bpy.ops.farmhand.remove_job()
    results["export"] = operator_error(
        bpy.ops.farmhand.export_job, filepath=os.path.join(root, "noqt", "x.json")
    )
    try:
        bpy.ops.farmhand.open_submitter()
    except RuntimeError as error:  # an operator's error report, raised to the calling script
        results["message"] = str(error)
    results["jobs"] = [job.name for job in bpy.context.scene.farmhand_jobs]
    results["preview"] = sorted(bpy.ops.farmhand.preview())
    results["preview_text"] = bpy.data.texts["Farmhand preview"].as_string()


# submit -----------------------------------------------------------------------------------
def mode_submit(root, results):
    import math

    path = os.path.join(root, "submit", "shot.blend")
    scene = fresh(path)
    texture = png(os.path.join(root, "submit", "tex", "grid.png"), (30, 160, 220))
    bpy.ops.mesh.primitive_cube_add(size=2.0)
    cube = bpy.context.active_object
    material = bpy.data.materials.new("grid")
    material.use_nodes = True
    node = material.node_tree.nodes.new("ShaderNodeTexImage")
    node.image = bpy.data.images.load(texture)
    material.node_tree.links.new(
        node.outputs["Color"], material.node_tree.nodes["Principled BSDF"].inputs["Base Color"]
    )
    cube.data.materials.append(material)
    cube.keyframe_insert("rotation_euler", frame=1)
    cube.rotation_euler = (0.0, 0.0, math.radians(90.0))
    cube.keyframe_insert("rotation_euler", frame=4)
    bpy.ops.object.camera_add(location=(5.0, -5.0, 4.0))
    camera = bpy.context.active_object
    camera.rotation_euler = (cube.location - camera.location).to_track_quat("-Z", "Y").to_euler()
    scene.camera = camera
    bpy.ops.object.light_add(type="SUN", location=(3.0, -2.0, 6.0))
    scene.frame_start, scene.frame_end = 1, 4
    scene.render.engine = "CYCLES"
    scene.cycles.samples = 4
    scene.cycles.use_denoising = False
    scene.render.resolution_x, scene.render.resolution_y = 64, 48
    scene.render.image_settings.file_format = "PNG"
    scene.render.filepath = "//render/frame_####"
    bpy.ops.wm.save_mainfile()
    assert bpy.ops.farmhand.add_job() == {"FINISHED"}
    adapter = BlenderAdapter()
    node = adapter.job_nodes()[0]
    settings = node.read_settings()
    settings.instance_type = "standard-1"
    settings.chunk_size = 2
    settings.scout_frames = ""
    node.write_settings(settings)
    results["task_template"] = settings.task_template
    results["output_path"] = settings.output_path
    assert bpy.ops.farmhand.submit(wait=True) == {"FINISHED"}
    results["job_id"] = scene["farmhand_last_job_id"]
    # the panel's Submit in an interactive session: the farm is reached on threads while a
    # timer (driven here by hand: timers do not run in a background session) follows them
    import time

    from farmhand.plugins.blender.submit_in_background import submit_later

    reports = []
    poll = submit_later(adapter, node, lambda level, text: reports.append([level, text]))
    deadline = time.monotonic() + 60
    while poll() is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    results["later_reports"] = reports


# guards -----------------------------------------------------------------------------------
class Escapes(object):
    """Runs callbacks as Blender would, recording any exception that escapes one."""

    def __init__(self):
        self.escaped = {}

    def call(self, case, callback, *args, **kwargs):
        try:
            return callback(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - recorded for the test
            self.escaped[case] = "{}: {}".format(type(error).__name__, error)
            return None


class LogRecords(object):
    """The ``farmhand`` loggers' records: level, message, and whether a traceback came."""

    def __init__(self):
        import logging

        self.records = []
        handler = logging.Handler()
        handler.emit = lambda record: self.records.append(
            [record.levelname, record.getMessage(), record.exc_info is not None]
        )
        logging.getLogger("farmhand").addHandler(handler)

    def since(self, start):
        return self.records[start:]


def patched(owner, name, replacement):
    """``owner.name`` replaced for a ``with`` block."""
    import contextlib

    @contextlib.contextmanager
    def swap():
        real = getattr(owner, name)
        setattr(owner, name, replacement)
        try:
            yield
        finally:
            setattr(owner, name, real)

    return swap()


def registered_state():
    from farmhand.plugins.blender import addon, panel

    return {
        "classes": sorted(cls.__name__ for cls in addon._CLASSES if cls.is_registered),
        "job properties": hasattr(bpy.types.Scene, "farmhand_jobs"),
        "menu entry": panel.render_menu in render_menu_functions(),
    }


def render_menu_functions():
    """The draw functions of Blender's Render menu, the ones Blender calls to draw it."""
    return list(getattr(bpy.types.TOPBAR_MT_render.draw, "_draw_funcs", []))


def guard_registration(results, escapes, logs):
    """Register and unregister failing, called by Blender's add-on manager."""
    import addon_utils

    def fails_for(name, real, after=False):
        """``real`` (register or unregister a class) raising for the class ``name``, before
        doing it or after."""

        def register_or_unregister(cls):
            if after:
                real(cls)
            if cls.__name__ == name:
                raise RuntimeError("{} refused by the test".format(name))
            if not after:
                real(cls)

        return register_or_unregister

    start = len(logs.records)
    failing = fails_for("RENDER_PT_farmhand", bpy.utils.register_class)
    with patched(bpy.utils, "register_class", failing):
        module = escapes.call("register", addon_utils.enable, "farmhand_blender", default_set=True)
    results["register"] = {
        "enabled by Blender": module is not None,
        "state": registered_state(),
        "log": logs.since(start),
    }
    start = len(logs.records)
    escapes.call("unregister after a failed register", addon_utils.disable, "farmhand_blender")
    results["unregister after a failed register"] = logs.since(start)
    escapes.call("register", addon_utils.enable, "farmhand_blender", default_set=True)
    results["registered"] = registered_state()
    start = len(logs.records)
    failing = fails_for("FARMHAND_OT_preview", bpy.utils.unregister_class, after=True)
    with patched(bpy.utils, "unregister_class", failing):
        escapes.call("unregister", addon_utils.disable, "farmhand_blender")
    results["unregister"] = {"state": registered_state(), "log": logs.since(start)}


def guard_operators(root, results, escapes, logs):
    """An operator's execute and invoke failing with an error Farmhand did not expect."""
    from farmhand.plugins.blender import operators

    fresh(os.path.join(root, "guards", "shot.blend"))
    bpy.ops.farmhand.add_job()

    def broken(*args, **kwargs):
        raise RuntimeError("the scan exploded")

    start = len(logs.records)
    with patched(operators, "preview_job", broken):
        results["execute"] = escapes.call("execute", operator_error, bpy.ops.farmhand.preview)
    with patched(operators, "active_job", broken):
        results["invoke"] = escapes.call(
            "invoke", operator_error, bpy.ops.farmhand.export_job, "INVOKE_DEFAULT"
        )
    results["operator log"] = logs.since(start)
    results["preview after"] = sorted(bpy.ops.farmhand.preview())


def guard_draws(results, escapes, logs):
    """The panel, the job list's rows, the Render menu entry and the popup failing to draw."""
    from farmhand.plugins.blender import messages, panel

    scene = bpy.context.scene
    draws = results["draws"] = {}

    def draw(case, failing, function, *args):
        labels, start = [], len(logs.records)
        layout = RecordingLayout(labels, failing)
        if args:  # a UIList's draw_item: its layout is an argument
            escapes.call(case, function, None, bpy.context, layout, *args)
        else:
            escapes.call(case, function, stand_in_with_layout(layout), bpy.context)
        draws[case] = {
            "labels": labels,
            "operators": layout.operators,
            "log": logs.since(start),
        }

    def broken_problem():
        raise ValueError("qt_problem broke")

    with patched(panel.qt_window, "qt_problem", broken_problem):
        draw("panel", {}, panel.RENDER_PT_farmhand.draw)
    draw(
        "row",
        {"prop": KeyError("farmhand_jobs")},
        panel.FARMHAND_UL_jobs.draw_item,
        scene,
        scene.farmhand_jobs[0],
        0,
        scene,
        "farmhand_job_index",
        0,
        0,
    )
    # Blender's Render menu, drawn by its own draw function: Blender's entries, then the
    # functions appended to it (ours once), each in its own try (it prints a traceback)
    results["menu entry"] = sum(
        1 for function in render_menu_functions() if function is panel.render_menu
    )
    failing = {"operator farmhand.submit": KeyError("farmhand.submit")}
    draw("menu", failing, bpy.types.TOPBAR_MT_render.draw)
    popup = messages.popup_draw("first line\nsecond line")
    draw("popup", {"label": UnicodeError("no glyph")}, popup)
    # a draw that keeps failing is logged once, drawn every time
    start = len(logs.records)
    with patched(panel.qt_window, "qt_problem", broken_problem):
        draw("panel again", {}, panel.RENDER_PT_farmhand.draw)
    draws["panel again"]["log"] = logs.since(start)


def guard_timer(results, escapes, logs):
    """The panel's Submit timer: the farm cannot be reached, and then its report fails too."""
    import time

    from farmhand.plugins.blender import submit_in_background
    from farmhand.plugins.blender.adapter import BlenderAdapter as Adapter

    def unreachable(target):
        raise ConnectionError("the farm at {!r} is unreachable".format(target))

    def run_timer(report):
        adapter = Adapter()
        poll = submit_in_background.submit_later(adapter, adapter.job_nodes()[0], report, "x")
        registered = bpy.app.timers.is_registered(poll)
        returned, deadline = 0.0, time.monotonic() + 20
        while returned is not None and time.monotonic() < deadline:
            returned = escapes.call("timer", poll)
            time.sleep(0.02)
        if bpy.app.timers.is_registered(poll):
            bpy.app.timers.unregister(poll)
        return registered, returned

    def failing_report(level, message):
        raise OSError("the console is gone")

    with patched(submit_in_background, "_connected", unreachable):
        reports, start = [], len(logs.records)
        registered, returned = run_timer(lambda level, text: reports.append([level, text]))
        results["timer"] = {
            "registered": registered,
            "returned": returned,
            "reports": reports,
            "log": logs.since(start),
        }
        start = len(logs.records)
        registered, returned = run_timer(failing_report)
        results["timer with a failing report"] = {
            "returned": returned,
            "log": logs.since(start),
        }


def mode_guards(root, results):
    escapes, logs = Escapes(), LogRecords()
    guard_registration(results, escapes, logs)
    reset()
    guard_operators(root, results, escapes, logs)
    guard_draws(results, escapes, logs)
    guard_timer(results, escapes, logs)
    results["escaped"] = escapes.escaped
    # Blender kept going: the add-on still works after all of it
    results["still working"] = sorted(bpy.ops.farmhand.add_job(name="after"))
    results["jobs"] = [job.name for job in bpy.context.scene.farmhand_jobs]


MODES = {
    "scenes": mode_scenes,
    "qt": mode_qt,
    "noqt": mode_noqt,
    "submit": mode_submit,
    "guards": mode_guards,
}


def main():
    mode, root, result_path = sys.argv[sys.argv.index("--") + 1 :]
    results = {"blender": bpy.app.version_string}
    try:
        MODES[mode](root, results)
    except Exception:
        results["error"] = traceback.format_exc()
    with open(result_path, "w") as handle:
        json.dump(results, handle, indent=2, sort_keys=True)


main()
