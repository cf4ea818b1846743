"""A child Python that file permissions apply to, even when the tests run as root.

Root reads and lists anything whatever its mode, through two capabilities (CAP_DAC_OVERRIDE,
CAP_DAC_READ_SEARCH). The child keeps root's user id and loses those two (``setpriv``, from
util-linux, which every Debian has), so a file or folder of mode 0 stops it as it stops any
user. Switching to another user instead (``nobody``) needs every folder above the
interpreter and the checkout to be open to that user, which a checkout in a private folder
(``mktemp -d``, mode 0700) is not.
"""

import os
import shutil
import subprocess
import sys

WITHOUT_ROOTS_READ_ANYTHING = [
    "setpriv",
    "--inh-caps=-all",
    "--bounding-set=-dac_override,-dac_read_search",
    "--",
]


def run_python_obeying_permissions(code, args=(), env=None, timeout=60):
    """Run ``python -c code args...`` on this interpreter; a path of mode 0 is refused to it."""
    from tests.conftest import require

    prefix = []
    if os.getuid() == 0:
        require(shutil.which("setpriv"), "setpriv (util-linux), to drop root's read-anything")
        prefix = WITHOUT_ROOTS_READ_ANYTHING
    return subprocess.run(
        prefix + [sys.executable, "-c", code] + list(args),
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
