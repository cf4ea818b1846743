"""One client of the soak (``soak.py``): a process that submits its share of the jobs.

It submits the way ``farmhand submit`` does (``ConductorConnector.submit``: hash, upload what
the farm lacks, create the job under one Idempotency-Key with retries) to a farm that the
soak kills and restarts meanwhile. Every attempt to reach the farm is counted by outcome so
the soak can report how many requests the faults broke.

A submit that fails before its job request (the farm was down for the token exchange) is
submitted again: nothing was created yet. A submit that fails while creating the job is an
error of the soak (the retries should have outlasted any restart) and ends this process
with status 1, naming the job.

Usage: ``python soak_client.py <plan.json> <results.jsonl>``; the plan holds the farm's URL,
its API key and this client's jobs (payloads), the results get one JSON line per job.
"""

import json
import sys
import time

from farmhand.core.connectors.conductor.connector import ConductorConnector
from farmhand.core.connectors.conductor.transport import ConductorHttp
from farmhand.core.errors import FarmConnectionError

# Submits retried from the start when the farm could not be reached before the job request.
FRESH_STARTS = 20
FRESH_START_PAUSE = 0.5


class CountingHttp(ConductorHttp):
    """The connector's transport, counting what each request met on the way."""

    def __init__(self, *args, **kwargs):
        super(CountingHttp, self).__init__(*args, **kwargs)
        self.counts = {"ok": 0, "unreachable": 0, "5xx": 0, "other": 0, "replayed": 0}

    def send(self, method, path_or_url, **kwargs):
        try:
            response = super(CountingHttp, self).send(method, path_or_url, **kwargs)
        except FarmConnectionError:
            self.counts["unreachable"] += 1
            raise
        if response.status_code >= 500:
            self.counts["5xx"] += 1
        elif response.status_code < 400:
            self.counts["ok"] += 1
            if response.headers.get("Idempotent-Replayed") == "true":
                self.counts["replayed"] += 1  # an earlier attempt's answer was lost
        else:
            self.counts["other"] += 1
        return response


def submit_one(connector, payload):
    """Submit; returns (result, fresh starts needed)."""
    for start in range(FRESH_STARTS):
        try:
            return connector.submit(payload), start
        except FarmConnectionError as error:
            if str(error).startswith("creating the job"):
                raise  # the job request itself ran out of retries: no resubmit (duplicates)
            time.sleep(FRESH_START_PAUSE)
    return connector.submit(payload), FRESH_STARTS


def main(argv):
    plan_path, results_path = argv
    with open(plan_path) as handle:
        plan = json.load(handle)
    connector = ConductorConnector(plan["url"], plan["key"], "soak farm")
    connector.http = CountingHttp(plan["url"], connector.http.api_key)
    status = 0
    with open(results_path, "a") as results:
        for job in plan["jobs"]:
            started = time.monotonic()
            try:
                result, fresh = submit_one(connector, job["payload"])
            except Exception as error:  # noqa: BLE001 - reported to the soak, which fails
                line = {"title": job["payload"]["job_title"], "error": str(error)}
                status = 1
            else:
                line = {
                    "title": job["payload"]["job_title"],
                    "job_id": result.job_id,
                    "seconds": round(time.monotonic() - started, 3),
                    "fresh_starts": fresh,
                    "uploaded_files": result.uploaded_files,
                }
            results.write(json.dumps(line) + "\n")
            results.flush()
            time.sleep(plan.get("gap", 0.0))
        results.write(json.dumps({"requests": connector.http.counts}) + "\n")
    connector.close()
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
