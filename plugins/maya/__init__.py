"""Farmhand in Maya: the module behind ``startup/maya`` (``farmhand.mod`` and its plug-in).

``adapter.MayaAdapter`` is the open scene behind the host-adapter contract
(``farmhand.core.host``); jobs are ``farmhandJob`` nodes, a node type the plug-in registers
with Maya's Python API 2.0 (``node_type``) from one attribute table (``job_attributes``),
read and written by ``job_node``; ``scan`` lists the files the scene reads, ``layers`` what
it renders (the current layer, every renderable layer, or one job per layer),
``render_command`` and ``software`` give the ``Render`` command and the versions, ``paths``
resolves paths in the project. The UI: ``menu`` (the Farmhand menu and shelf, interactive
sessions only), ``commands`` (what they run, guarded), ``qt_window`` and ``qt_job_widget``
(the shared Qt submitter with the job's layers and camera). Everything here runs on Maya
2022's Python 3.7.
"""
