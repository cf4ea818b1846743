"""Mirrored settings travel typed as ``JobSettings`` types them, in both directions: a host
that mirrors ``extra_environment`` (Clarisse's one-entry-per-line list) gets and gives
``EnvEntry`` objects, not the job file's dicts."""

from memory_host import MemoryAdapter, MemoryJobNode

from farmhand.core.job import EnvEntry, JobSettings


class EnvironmentNode(MemoryJobNode):
    mirrored_fields = ("extra_environment", "notify")
    _ATTRIBUTES = {"extra_environment": "extraEnvironment", "notify": "notify"}


class EnvironmentAdapter(MemoryAdapter):
    def create_job_node(self, name=""):
        self.scene.nodes[name] = {}
        return EnvironmentNode(self.scene, name)


def test_mirrored_values_are_written_and_read_typed(scene):
    adapter = EnvironmentAdapter(scene)
    node = adapter.create_job_node("env")
    settings = JobSettings(
        extra_environment=[EnvEntry("PATH", "/opt/bin", "append")], notify=["a@example.com"]
    )
    node.write_settings(settings)
    stored = scene.nodes["env"]["extraEnvironment"]
    assert stored == [EnvEntry("PATH", "/opt/bin", "append")]
    assert stored is not settings.extra_environment  # a copy: the node owns it
    stored.append(EnvEntry("A", "1"))  # edited in the host's own UI
    assert node.read_settings().extra_environment == [
        EnvEntry("PATH", "/opt/bin", "append"),
        EnvEntry("A", "1", "exclusive"),
    ]
