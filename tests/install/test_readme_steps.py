"""The README's install sections give every host the two steps the installer tests run:
``pip install --target DIR farmhand``, then ``python -m farmhand.install HOST`` with DIR on
the path (tests/install/test_pip_target.py runs exactly these from a real --target folder)."""

import os
import re

import pytest

from farmhand.install import HOSTS

README = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "README.md")
TITLES = {"blender": "Blender", "maya": "Maya", "houdini": "Houdini", "clarisse": "Clarisse"}


def host_steps(host):
    """The commands of the first shell block after the host's bold heading."""
    with open(README, encoding="utf-8") as handle:
        text = handle.read()
    heading = text.find("**{}** (".format(TITLES[host]))
    assert heading >= 0, "README has no **{}** install heading".format(TITLES[host])
    block = re.search(r"```sh\n(.*?)```", text[heading:], re.S)
    assert block is not None, "no shell block under **{}**".format(TITLES[host])
    lines = [line.split("#", 1)[0].strip() for line in block.group(1).splitlines()]
    return [line for line in lines if line]


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_each_host_has_the_two_install_steps(host):
    first, second = host_steps(host)
    python, rest = first.split(" -m pip install ", 1)
    assert rest == "--target DIR farmhand"
    assert second == "PYTHONPATH=DIR {} -m farmhand.install {}".format(python, host)
