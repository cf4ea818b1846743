"""Tractor job scripts on the local farm: read the Tcl job script Tractor's authoring API
writes (``farmhand.api.tractor.author``'s ``asTcl()``), turn its task tree into the farm's
job model (tasks with dependency edges and ordered commands), and serve Tractor's spool
route so ``Job.spool()`` and ``tractor-spool`` style clients submit to the local farm.
"""
