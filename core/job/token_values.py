"""The values of the global and job tokens for one submission (the seeds' token tables)."""

from typing import Dict, Optional

from farmhand.core.catalogue import InstanceType, describe
from farmhand.core.frames import FramePlan, FrameSpec
from farmhand.core.job.context import HostContext
from farmhand.core.job.settings import JobSettings
from farmhand.core.tokens import preemptible_word, quote_each, quote_optional


def job_token_values(
    settings: JobSettings,
    context: HostContext,
    plan: Optional[FramePlan],
    frames: Optional[FrameSpec],
    instance_name: str,
    instance: Optional[InstanceType],
    timestamp: str,
) -> Dict[str, object]:
    """token -> value for every global and job token.

    ``frames`` is the job's frame set (from the plan, or the union of given tasks' frames);
    values that cannot be known (no frames, no plan) are empty strings, which validation
    reports when a template uses them.
    """
    if instance is not None:
        cores: object = instance.cores
        flavor = instance.flavor
        label = instance.description or describe(instance.cores, instance.memory)
    else:
        cores = settings.cores or ""
        flavor = settings.machine_flavor
        label = instance_name
    return {
        "pdir": context.pdir,
        "temp_dir": quote_optional(context.temp_dir),
        "render_package": quote_optional(context.render_package),
        "sequencelength": len(frames) if frames else "",
        "sequence": str(frames) if frames else "",
        "sequencemin": frames.first if frames else "",
        "sequencemax": frames.last if frames else "",
        "cores": cores,
        "flavor": flavor,
        "instance": label,
        "preemptible": preemptible_word(settings.preemptible),
        "retries": settings.retries,
        "job": context.job_name,
        "sources": " ".join(context.sources),
        "scout": str(plan.scout_frames) if plan else "",
        "chunksize": plan.chunk_size if plan else settings.chunk_size,
        "chunkcount": len(plan.chunks) if plan else "",
        "scoutcount": len(plan.scout_frames) if plan else "",
        "timestamp": timestamp,
        "submitter": context.submitter or context.job_name,
        "project": settings.project,
        "directories": quote_each(context.output_directories),
        "tiles": settings.tiles,
    }
