"""The submitter's sections, in the order the form shows them.

Each is a ``Section`` bound to some ``JobSettings`` fields; a host can reuse any of them alone
(a Houdini ROP shows the same Frames section as the standalone window).
"""
