"""The reference host: a scene of plain Python data behind the host-adapter contract.

It is what the contract's own tests run against, and the smallest complete example of a host
plugin (a Houdini or Clarisse adapter has the same shape): an adapter answering from its
scene, and a job node keeping the settings JSON in one attribute and mirroring two settings
as attributes of their own (spelt camelCase, as Maya and Clarisse spell attributes).
"""

import os
import shutil

from farmhand.core.deps import FileReference
from farmhand.core.host import DetectedPackage, HostAdapter, JobNode, SceneOutputs
from farmhand.core.host.job_node import SETTINGS_ATTRIBUTE


class MemoryScene(object):
    """The scene: a file on disk, a frame range, nodes as attribute dicts, references."""

    def __init__(self, path="", frames="1-10"):
        self.path = path
        self.frames = frames
        self.nodes = {}  # name -> {attribute: value}
        self.references = []
        self.images = {"beauty": "/renders/beauty"}
        self.version = "1.2.3"

    def save(self, path=None):
        self.path = path or self.path
        folder = os.path.dirname(self.path)
        if folder:
            os.makedirs(folder, exist_ok=True)
        with open(self.path, "w") as handle:
            handle.write("memory scene\n")


class MemoryJobNode(JobNode):
    mirrored_fields = ("frames", "chunk_size")
    _ATTRIBUTES = {"frames": "frames", "chunk_size": "chunkSize"}

    def __init__(self, scene, name):
        self.scene = scene
        self._name = name

    @property
    def name(self):
        return self._name

    @property
    def attributes(self):
        return self.scene.nodes[self._name]

    def read_text(self):
        return self.attributes.get(SETTINGS_ATTRIBUTE, "")

    def write_text(self, text):
        self.attributes[SETTINGS_ATTRIBUTE] = text

    def attribute_of(self, field):
        return self._ATTRIBUTES.get(field, field)

    def read_mirrored(self):
        return {
            field: self.attributes[attribute]
            for field, attribute in self._ATTRIBUTES.items()
            if attribute in self.attributes
        }

    def write_mirrored(self, values):
        for field, value in values.items():
            self.attributes[self.attribute_of(field)] = value


class MemoryAdapter(HostAdapter):
    name = "memoryhost"
    node_type = "MemoryJob"

    def __init__(self, scene):
        self.scene = scene

    def scene_file(self):
        return self.scene.path

    def frame_range(self):
        return self.scene.frames

    def software(self):
        return [
            DetectedPackage("memoryhost", self.scene.version),
            DetectedPackage("memoryrender", "2.0", "memoryhost", self.scene.version),
        ]

    def file_references(self, frames=None):
        self.asked_frames = frames
        return [
            r if isinstance(r, FileReference) else FileReference(r) for r in self.scene.references
        ]

    def outputs(self, node):
        names = sorted(self.scene.images)
        return SceneOutputs(names, [self.scene.images[name] for name in names])

    def save_render_package(self, path):
        shutil.copyfile(self.scene.path, path)

    def job_nodes(self):
        return [MemoryJobNode(self.scene, name) for name in sorted(self.scene.nodes)]

    def create_job_node(self, name=""):
        if not name:
            index = 1
            while "memoryJob{}".format(index) in self.scene.nodes:
                index += 1
            name = "memoryJob{}".format(index)
        self.scene.nodes[name] = {}
        return MemoryJobNode(self.scene, name)

    def default_task_template(self, node):
        return "memoryrender -s <chunkstart> -e <chunkend> <render_package>"
