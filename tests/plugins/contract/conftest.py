"""The reference host (tests/support/memory_host.py) with a saved scene, per test."""

import pytest
from memory_host import MemoryAdapter, MemoryScene


@pytest.fixture
def scene(tmp_path):
    scene = MemoryScene(str(tmp_path / "shots" / "shot010.mem"), frames="1-10")
    scene.save()
    return scene


@pytest.fixture
def adapter(scene):
    return MemoryAdapter(scene)
