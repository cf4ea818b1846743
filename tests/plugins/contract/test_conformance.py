"""The conformance suite passes for the reference host (the same suite every adapter runs)."""

import pytest
from host_conformance import CHECKS


@pytest.mark.parametrize("check", CHECKS, ids=lambda check: check.__name__)
def test_reference_host_conforms(adapter, check):
    check(adapter)


def test_an_adapter_missing_a_method_cannot_be_created():
    from farmhand.core.host import HostAdapter

    class Incomplete(HostAdapter):
        name = "incomplete"

        def scene_file(self):
            return ""

    with pytest.raises(TypeError, match="abstract"):
        Incomplete()
