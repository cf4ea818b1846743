"""Starting and stopping the farm from a process that holds many descriptors."""

import os

import pytest

pytestmark = pytest.mark.timeout(60)


def test_the_farm_starts_and_stops_from_a_process_holding_over_1024_descriptors(farm_factory):
    """Hosts (Maya, Houdini) and long test runs hold many files: control.start waited for
    the farm's ready line with select(), which refuses descriptors numbered 1,024 or more."""
    held = []
    try:
        while True:
            fd = os.open(os.devnull, os.O_RDONLY)
            held.append(fd)
            if fd > 1100:
                break
        farm = farm_factory(slots=1)
        assert farm.submit(["true"])
        assert farm.stop()
    finally:
        for fd in held:
            os.close(fd)
