"""A job node written out as a job file, for ``farmhand preview`` and ``farmhand submit``.

The command-line path for a host without Qt, or for a wrangler who submits from a shell: the
job file holds the node's settings with what only the host knows folded in, so the CLI builds
the same payload from it that the host builds. The host's tokens (``<render_package>``,
``<pdir>``, ``<job>``, ``<sources>``...) are written out in the templates; the upload list is
the files the host resolved (its scanned references, frame offsets and tiles applied, the
render package among them) with the dependency scan policy ``none``, since the CLI has no
scene to scan; the scene's frame range becomes custom frames.
"""

import json
import os
from dataclasses import replace
from typing import Dict, Mapping

from farmhand.core.host.adapter import HostAdapter
from farmhand.core.host.job_node import JobNode
from farmhand.core.job.job_file import settings_to_dict
from farmhand.core.job.settings import JobSettings
from farmhand.core.job.submission import Submission
from farmhand.core.tokens import TOKEN_PATTERN, quote_each, quote_optional
from farmhand.core.tokens.shell import shell_bind_parts

# Tokens whose value comes from the host context, not from the settings or the farm.
HOST_TOKENS = ("pdir", "temp_dir", "render_package", "job", "submitter", "sources", "directories")


def host_token_values(submission: Submission) -> Dict[str, str]:
    context = submission.context
    return {
        "pdir": context.pdir,
        "temp_dir": quote_optional(context.temp_dir),
        "render_package": quote_optional(context.render_package),
        "job": context.job_name,
        "submitter": context.submitter or context.job_name,
        "sources": " ".join(context.sources),
        "directories": quote_each(context.output_directories),
    }


def fill_host_tokens(text: str, values: Mapping[str, str]) -> str:
    """``text`` with the host's tokens replaced; every other token is left for the CLI."""
    return TOKEN_PATTERN.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def fill_host_tokens_for_shell(text: str, submission: Submission) -> str:
    """``fill_host_tokens`` for a command template: values quoted for the shell as the
    submission's own commands quote them (``farmhand.core.tokens.shell``)."""
    parts = TOKEN_PATTERN.split(text)
    merged = shell_bind_parts(
        parts, host_token_values(submission), {"sources": submission.context.sources}
    )
    return "".join(
        "<{}>".format(piece) if index % 2 else piece for index, piece in enumerate(merged)
    )


def standalone_settings(submission: Submission) -> JobSettings:
    """The settings that give ``submission``'s payload without the host (see the module
    docstring)."""
    settings = submission.settings
    values = host_token_values(submission)
    frames = settings.frames
    if not settings.use_custom_frames:
        frames = submission.context.frames
    return replace(
        settings,
        job_title=fill_host_tokens(settings.job_title, values),
        metadata={k: fill_host_tokens(v, values) for k, v in settings.metadata.items()},
        output_path=fill_host_tokens(settings.output_path, values),
        task_template=fill_host_tokens_for_shell(settings.task_template, submission),
        use_custom_frames=True,
        frames=frames,
        software_package_ids=list(submission.software_package_ids),
        upload_paths=list(submission.upload_files),
        dependency_scan_policy="none",
    )


def export_job_file(adapter: HostAdapter, node: JobNode, path: str) -> Submission:
    """Build ``node``'s job (its render package written) and write it to ``path`` as a job
    file; returns the submission built, whose validation the caller shows."""
    submission = adapter.build(node)
    text = json.dumps(settings_to_dict(standalone_settings(submission)), indent=2) + "\n"
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    temporary = "{}.{}.tmp".format(path, os.getpid())
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temporary, path)
    return submission
