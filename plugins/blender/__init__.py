"""Farmhand in Blender: the add-on behind ``startup/blender/farmhand_blender.py``.

``adapter.BlenderAdapter`` is a scene behind the host-adapter contract (``farmhand.core.host``);
jobs are ``FarmhandJob`` property groups on the scene (``properties``, ``job_node``); ``scan``
lists the files a .blend reads, with ``sequences`` for Blender's frame arithmetic;
``render_command`` and ``software`` give the task template and versions; ``render_package``
writes the copy the farm renders. The UI: ``panel`` (Render Properties > Farmhand and the
Render menu), ``operators``, ``qt_window`` (the shared Qt submitter, when Qt imports here),
``submit_in_background`` (submitting from the panel without Qt); ``addon`` registers it all.
Every function Blender calls into (operators, draw functions, timers, register) is guarded
(``guards``, on ``farmhand.core.host.callbacks``): errors are reported, never raised.
Modules that import ``bpy`` are imported only by the add-on, never by this package.
"""
