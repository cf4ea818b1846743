"""Farmhand in Clarisse: the FarmhandJob scripted class and its adapter.

``registration.register`` (what ``startup/clarisse/startup.py`` calls) registers the class
``job_class`` defines; its attributes are listed in ``attributes``, read and written by
``attribute_values`` and ``job_node.ClarisseJobNode``. ``adapter.ClarisseAdapter`` answers the
host-adapter contract from the open project: the job's ``images`` (their ranges and outputs),
the ``scan`` of path attributes, the render archive. ``actions`` are the class's buttons;
``qt_submitter`` opens the shared Qt submitter when Clarisse has Qt for Python.
"""
