"""The farm's HTTP routes, one module per group; each exposes ``setup(app)``."""
