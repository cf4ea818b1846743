"""The fuzz targets live in the top-level ``fuzz`` folder (not a farmhand package): make the
repository root importable so the tests can replay the targets' corpora in-process."""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
