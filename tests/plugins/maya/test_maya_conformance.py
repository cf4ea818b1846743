"""The host-adapter conformance suite passes for the Maya adapter (on the fake session)."""

import pytest
from host_conformance import CHECKS


@pytest.mark.parametrize("check", CHECKS, ids=lambda check: check.__name__)
def test_maya_adapter_conforms(adapter, check):
    check(adapter)
