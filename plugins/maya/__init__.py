"""Farmhand in Maya: the module behind ``startup/maya`` (``farmhand.mod`` and its plug-in).

``adapter.MayaAdapter`` is the open scene behind the host-adapter contract
(``farmhand.core.host``); jobs are ``network`` nodes (``job_node``); ``scan`` lists the files
the scene reads, ``layers`` what it renders, ``render_command`` and ``software`` give the
``Render`` command and the versions, ``paths`` resolves paths in the project. The UI:
``menu`` (the Farmhand menu and shelf), ``commands`` (what they run, guarded), ``qt_window``
(the shared Qt submitter). Everything here runs on Maya 2022's Python 3.7.
"""
