"""The Clarisse adapter passes the host-adapter conformance suite (tests/support)."""

import pytest
from host_conformance import CHECKS


@pytest.mark.parametrize("check", CHECKS, ids=lambda check: check.__name__)
def test_clarisse_adapter_conforms(adapter, check):
    check(adapter)
