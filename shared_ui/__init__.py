"""The shared Qt submitter every host shows, through qtpy (never a binding by name).

``submitter.SubmitterWidget`` is the whole submitter, parametrised by ``hooks.SubmitterHooks``
(the host's settings widget and job-building callback); ``dialog.show_submitter`` opens it as
a non-modal dialog in a host, ``standalone.SubmitterWindow`` around a job file
(``farmhand gui``). The parts: ``sections`` (one widget per group of job settings, bound by
``fields``), ``form`` (all sections), ``preview`` (the exact payload, tasks, uploads,
validation), ``progress`` (hashing, uploading, submitting off the UI thread),
``monitor`` (jobs, tasks, logs, release/retry/kill), ``background`` (worker threads).
"""
