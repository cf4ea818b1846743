"""The seed's Tractor example job (seeds/004: a one-task, one-command render), built with
``farmhand.api.tractor.author``, and the job script it prints. Shared by the authoring,
spooling, parsing and translation tests, so they all mean the same job."""

SEED_TCL = (
    "Job -title {a one-task render job} -priority {100.0} -service {PixarRender} -subtasks {\n"
    "  Task {A one-command render task} -cmds {\n"
    "    RemoteCmd {{/usr/bin/prman} {file.rib}} -service {pixarRender}\n"
    "  }\n"
    "}"
)


def seed_job():
    """The seed's example, line for line."""
    import farmhand.api.tractor.author as author

    job = author.Job(title="a one-task render job", priority=100, service="PixarRender")
    job.newTask(
        title="A one-command render task",
        argv=["/usr/bin/prman", "file.rib"],
        service="pixarRender",
    )
    return job
