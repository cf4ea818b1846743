"""Builds the demo scene inside Blender: a textured cube turning over ten frames.

Run by ``examples/demo/run.py`` as
``blender -b --factory-startup --python-exit-code 1 --python build_scene.py -- OUTDIR``.
The texture is written next to the scene as its own PNG file (not packed into the .blend),
so the job really depends on an external file, like production scenes do.
"""

import math
import os
import sys

import bpy


def main(outdir):
    os.makedirs(os.path.join(outdir, "textures"), exist_ok=True)
    texture_path = os.path.join(outdir, "textures", "grid.png")
    scene_path = os.path.join(outdir, "scene.blend")

    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene

    image = bpy.data.images.new("grid", 256, 256)
    image.generated_type = "COLOR_GRID"
    image.filepath_raw = texture_path
    image.file_format = "PNG"
    image.save()

    bpy.ops.mesh.primitive_cube_add(size=2.0)
    cube = bpy.context.active_object
    material = bpy.data.materials.new("grid")
    material.use_nodes = True
    nodes = material.node_tree.nodes
    shader = nodes["Principled BSDF"]
    texture = nodes.new("ShaderNodeTexImage")
    texture.image = bpy.data.images.load(texture_path)
    material.node_tree.links.new(texture.outputs["Color"], shader.inputs["Base Color"])
    cube.data.materials.append(material)
    cube.rotation_euler = (0.0, 0.0, 0.0)
    cube.keyframe_insert("rotation_euler", frame=1)
    cube.rotation_euler = (0.0, 0.0, math.radians(90.0))
    cube.keyframe_insert("rotation_euler", frame=10)

    bpy.ops.object.camera_add(location=(5.0, -5.0, 4.0))
    camera = bpy.context.active_object
    direction = cube.location - camera.location
    camera.rotation_euler = direction.to_track_quat("-Z", "Y").to_euler()
    scene.camera = camera

    bpy.ops.object.light_add(type="SUN", location=(3.0, -2.0, 6.0))
    bpy.context.active_object.data.energy = 4.0

    world = bpy.data.worlds.new("world")
    world.color = (0.05, 0.05, 0.06)
    scene.world = world

    scene.frame_start = 1
    scene.frame_end = 10
    scene.render.engine = "CYCLES"
    scene.cycles.device = "CPU"
    scene.cycles.samples = 8
    scene.cycles.use_denoising = False
    scene.render.resolution_x = 160
    scene.render.resolution_y = 120
    scene.render.resolution_percentage = 100
    scene.render.image_settings.file_format = "PNG"
    # Keep the texture as an external file referenced by an absolute path.
    bpy.ops.wm.save_as_mainfile(filepath=scene_path, relative_remap=False)
    print("farmhand-demo: scene {} texture {}".format(scene_path, texture_path))


if __name__ == "__main__":
    argv = sys.argv[sys.argv.index("--") + 1 :] if "--" in sys.argv else []
    if len(argv) != 1:
        raise SystemExit("usage: blender -b --python build_scene.py -- OUTDIR")
    main(os.path.abspath(argv[0]))
