"""The sentence the progress dialog ends with: which job, on which farm, and how to watch it."""

from typing import Any

from farmhand.shared_ui.units import human_bytes, plural


def describe_result(connector: Any, result: Any) -> str:
    lines = ["Submitted job {} to {}.".format(result.job_id, connector.describe())]
    uploaded = getattr(result, "uploaded_files", 0)
    files = getattr(result, "files", 0)
    if files:
        sent = human_bytes(getattr(result, "uploaded_bytes", 0))
        if uploaded == 0:
            lines.append("Nothing uploaded: the farm already had {}.".format(
                "the file" if files == 1 else "all {}".format(plural(files, "file"))))
        elif uploaded < files:
            lines.append("{} of {} uploaded ({}); the farm already had the rest.".format(
                uploaded, plural(files, "file"), sent))
        else:
            lines.append("{} uploaded ({}).".format(plural(uploaded, "file"), sent))
    url = getattr(connector, "url", "")
    where = "{}{}".format(url.rstrip("/"), result.uri) if url and result.uri else result.uri
    lines.append(
        "Watch it in the farm monitor, or run: farmhand jobs {}{}".format(
            result.job_id, "  ({})".format(where) if where else ""
        )
    )
    return "\n".join(lines)
