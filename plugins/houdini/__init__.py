"""Farmhand in Houdini: the FarmhandJob ROP (``farmhand::job``) and its adapter.

``adapter.HoudiniAdapter`` answers the host-adapter contract from the open session;
``job_node.HoudiniJobNode`` stores a job's settings on its ROP (``parms`` lists the
parameters); ``rops`` reads the ROPs wired into a job (frames, outputs), ``scan`` the files
the scene reads, ``software`` Houdini's version and renderer plug-ins, ``render_command`` the
hython command a task runs. ``buttons`` are what the ROP's PythonModule calls, ``submitter``
opens the shared Qt submitter, ``batch`` previews and submits from hython. ``dialog_script``
and ``hda_files`` generate the expanded HDA (``startup/houdini/otls/farmhand_job.hda``) and
import no ``hou``.

Installing: load the package file ``startup/houdini/farmhand.json`` (see README).
"""
