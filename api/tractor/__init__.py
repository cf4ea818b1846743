"""Tractor-style job authoring: ``farmhand.api.tractor.author`` mirrors ``tractor.api.author``.

Scripts written for Pixar Tractor's authoring API run with only their import line changed; the
jobs they build print as Tractor job scripts (Tcl) and spool to the local farm, or to a real
Tractor engine when ``TRACTOR_ENGINE`` or ``setEngineClientParam`` names one.
"""
