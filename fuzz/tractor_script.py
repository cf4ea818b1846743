"""Fuzz target: Tractor job scripts (Tcl) as the local farm's spool route reads them.

Contract: ``parse_job_script`` then ``to_job_spec`` either give a farm job or raise
``JobScriptError`` naming line, column and word, never another exception (a Tcl syntax error,
a deep nesting, a number that does not fit) and never take long. The engine address a client
reads (``TRACTOR_ENGINE``) is fuzzed on the input's first line as well.

    python -m fuzz.tractor_script -max_total_time=60 fuzz/corpus/tractor_script
"""

from farmhand.api.tractor.author.engine import parse_engine
from farmhand.farm.tractor.script import parse_job_script
from farmhand.farm.tractor.translate import to_job_spec
from fuzz.harness import check, main, text_of, typed_errors_only


def test_one_input(data: bytes) -> None:
    text = text_of(data)
    with typed_errors_only("parse_engine", text.partition("\n")[0]):
        host, port = parse_engine(text.partition("\n")[0])
        check(bool(host) and 0 < port < 65536, "engine {!r} -> {!r}".format(text, (host, port)))
    with typed_errors_only("parse_job_script/to_job_spec", text):
        spec = to_job_spec(parse_job_script(text), owner="fuzz", script=text)
        check(len(spec.tasks) > 0, "a job without tasks from {!r}".format(text))
        for index, task in enumerate(spec.tasks):
            check(
                all(0 <= dep < len(spec.tasks) and dep != index for dep in task.depends_on),
                "task {} of {!r} depends on a task that is not there".format(index, text),
            )


if __name__ == "__main__":
    main(test_one_input)
