"""A job node whose own items have frame ranges (Clarisse images, Houdini ROPs) renders their
range, not the scene's: ``HostAdapter.node_frame_range`` is what the defaults, the context,
the job's frames and the submitter's "host frames" read."""

from memory_host import MemoryAdapter

from farmhand.core.host import SubmitterGlue
from farmhand.core.job import JobSettings


class RangedAdapter(MemoryAdapter):
    """The reference host, with a per-node range as images or ROPs give one."""

    ranges = {}

    def node_frame_range(self, node):
        return self.ranges.get(node.name, self.frame_range())


def test_the_default_is_the_scene_range(adapter, scene):
    node = adapter.new_job("lighting")
    assert adapter.node_frame_range(node) == scene.frames == "1-10"


def test_a_nodes_own_range_is_its_default_frames_context_and_job_frames(scene):
    adapter = RangedAdapter(scene)
    adapter.ranges = {"fx": "20-30x2"}
    node = adapter.new_job("fx")
    settings = node.read_settings()
    assert (settings.use_custom_frames, settings.frames) == (False, "20-30x2")
    assert adapter.context(node).frames == "20-30x2"
    assert str(adapter.job_frames(settings, node)) == "20-30x2"
    assert str(adapter.job_frames(settings)) == "1-10"  # without a node: the scene's
    custom = JobSettings(use_custom_frames=True, frames="3-4")
    assert str(adapter.job_frames(custom, node)) == "3-4"
    submission = adapter.build(node)
    assert [task["frames"] for task in submission.tasks][:2] == ["20", "22"]
    assert SubmitterGlue(adapter, node).host_frames() == "20-30x2"
