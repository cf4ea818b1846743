"""Clarisse startup script: registers the FarmhandJob class (Preferences > Startup Script).

When Farmhand was installed with ``pip install --target DIR``, this file is
``DIR/farmhand/startup/clarisse/startup.py`` and DIR is put on Python's path here, so Clarisse
needs no other set-up.
"""

import os
import sys

_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
if os.path.isfile(os.path.join(_DIR, "farmhand", "__init__.py")) and _DIR not in sys.path:
    sys.path.insert(0, _DIR)

from farmhand.plugins.clarisse.registration import register  # noqa: E402

register()
