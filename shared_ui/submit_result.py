"""The sentence the progress dialog ends with: which job, on which farm, and how to watch it."""

from typing import Any


def describe_result(connector: Any, result: Any) -> str:
    lines = ["Submitted job {} to {}.".format(result.job_id, connector.describe())]
    uploaded = getattr(result, "uploaded_files", 0)
    files = getattr(result, "files", 0)
    if files:
        lines.append(
            "{} of {} files uploaded ({} bytes); the farm already had the rest.".format(
                uploaded, files, getattr(result, "uploaded_bytes", 0)
            )
            if uploaded < files
            else "{} files uploaded ({} bytes).".format(uploaded, result.uploaded_bytes)
        )
    url = getattr(connector, "url", "")
    where = "{}{}".format(url.rstrip("/"), result.uri) if url and result.uri else result.uri
    lines.append(
        "Watch it in the farm monitor, or run: farmhand jobs {}{}".format(
            result.job_id, "  ({})".format(where) if where else ""
        )
    )
    return "\n".join(lines)
