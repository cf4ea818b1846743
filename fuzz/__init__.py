"""Coverage-guided fuzz targets (atheris) for every parser users feed; see ``fuzz/run.py``."""
