"""The Slurm connector: a Farmhand job as Slurm job arrays over a shared filesystem.

``native_form`` writes the job to a folder (one ``/bin/sh`` script per task, indexed by
``SLURM_ARRAY_TASK_ID``; the batch script; ``submit.sh`` with the same ``sbatch`` lines the
connector runs), ``commands`` runs Slurm's programs, ``settings`` reads where jobs live and
which instance types map to which partition/account/``--gres``, ``status`` turns ``squeue``,
the tasks' result files and ``sacct`` or the jobcomp log into task states, and ``connector``
is the ``Connector``. docs/slurm.md says what the connector expects of a cluster.
"""
