"""The connector contract: the registry of farms, choosing a farm, capabilities and what a
farm will not honour, the native form, and ``farmhand farms`` / ``--farm`` / the job file's
``farm`` key."""

import json
import os
import sys

import pytest

from farmhand.cli.main import main
from farmhand.core.connectors import (
    CONNECTORS,
    FEATURES,
    Capabilities,
    Connector,
    check_farm,
    choose_farm,
    connect,
    connector_class,
    connector_names,
    default_farm,
    registry,
    unhonoured,
)
from farmhand.core.connectors.conductor.connector import ConductorConnector
from farmhand.core.connectors.conductor.local_connector import LocalFarmConnector
from farmhand.core.connectors.farm_classes import farm_capabilities, native_form
from farmhand.core.errors import InputError, UnsupportedError
from farmhand.core.job import JobSettings, build_submission
from farmhand.core.job.context import HostContext

KEY_JSON = json.dumps({"client_id": "cid-1", "private_key": "secret-1"})
VALID = (
    "local, conductor, gridmarkets, opencue, openjd, slurm, tractor, or the http:// or "
    "https:// URL of a Conductor-compatible service"
)


# -- the registry ---------------------------------------------------------------------------
def test_every_farm_of_issue_7_is_registered_local_first():
    assert connector_names() == (
        "local",
        "conductor",
        "gridmarkets",
        "opencue",
        "openjd",
        "slurm",
        "tractor",
    )
    assert set(CONNECTORS) == set(connector_names())
    assert connector_class("local") is LocalFarmConnector
    assert connector_class("conductor") is ConductorConnector


def test_an_unknown_farm_lists_the_valid_ones():
    with pytest.raises(InputError) as caught:
        connector_class("tractorr")
    assert str(caught.value) == (
        "farm: unknown farm 'tractorr'; valid farms: local, conductor, gridmarkets, opencue, "
        "openjd, slurm, tractor"
    )


def test_a_farm_whose_module_has_not_landed_says_so(monkeypatch):
    monkeypatch.setitem(CONNECTORS, "future", "farmhand.core.connectors.future.connector:X")
    with pytest.raises(UnsupportedError) as caught:
        connector_class("future")
    assert caught.value.farm == "future"
    assert str(caught.value).startswith(
        "the future farm is not implemented yet (issue 7); available farms: local, conductor"
    )
    entry = [e for e in registry.farm_entries() if e.name == "future"][0]
    assert (entry.connector, entry.problem) == (None, "not implemented yet")


def test_a_farm_missing_an_optional_package_names_it(monkeypatch, tmp_path):
    (tmp_path / "fh_needs_pkg.py").write_text("import fh_not_installed_pkg\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(CONNECTORS, "needy", "fh_needs_pkg:Needy")
    with pytest.raises(UnsupportedError) as caught:
        connector_class("needy")
    assert str(caught.value).startswith(
        "the needy farm needs the Python package 'fh_not_installed_pkg', which is not installed"
    )


# -- choosing a farm ------------------------------------------------------------------------
def test_choosing_a_farm_flag_then_job_file_then_default():
    assert default_farm({}) == "local"
    assert default_farm({"CONDUCTOR_URL": "http://127.0.0.1:9"}) == "http://127.0.0.1:9"
    assert choose_farm("slurm", "local", {}) == "slurm"
    assert choose_farm(None, " slurm ", {}) == "slurm"
    assert (
        choose_farm("", "", {"CONDUCTOR_URL": "https://f.example.com"}) == "https://f.example.com"
    )
    assert check_farm("https://farm.example.com/x") == "https://farm.example.com/x"


@pytest.mark.parametrize("given,job_farm", [("slurmm", None), (None, "slurmm")])
def test_an_unknown_farm_is_refused_wherever_it_came_from(given, job_farm):
    with pytest.raises(InputError) as caught:
        choose_farm(given, job_farm, {})
    assert str(caught.value) == "farm: unknown farm 'slurmm'; valid farms: " + VALID


def test_connect_by_url_needs_a_key_and_a_host():
    with pytest.raises(InputError) as caught:
        connect("https://farm.example.com", environ={})
    assert str(caught.value) == (
        "api_key: no API key for https://farm.example.com: set CONDUCTOR_API_KEY "
        "(or CONDUCTOR_API_KEY_PATH)"
    )
    with pytest.raises(InputError) as caught:
        connect("http:///jobs", environ={"CONDUCTOR_API_KEY": KEY_JSON})
    assert str(caught.value) == "farm: farm URL 'http:///jobs' has no host"
    with connect("https://farm.example.com/", environ={"CONDUCTOR_API_KEY": KEY_JSON}) as c:
        assert c.url == "https://farm.example.com"
        assert c.describe() == "Conductor-compatible service at https://farm.example.com"


def test_the_conductor_farm_reads_conductor_url():
    env = {"CONDUCTOR_URL": "http://127.0.0.1:4321", "CONDUCTOR_API_KEY": KEY_JSON}
    for farm in (None, "conductor"):
        with connect(farm, environ=env) as connector:
            assert connector.url == "http://127.0.0.1:4321"
    with pytest.raises(InputError) as caught:
        connect("conductor", environ={})
    assert str(caught.value) == (
        "farm: the conductor farm needs CONDUCTOR_URL (and CONDUCTOR_API_KEY) to be set"
    )


# -- capabilities -----------------------------------------------------------------------------
def test_capabilities_refuse_an_unknown_feature():
    with pytest.raises(ValueError) as caught:
        Capabilities(("scout",))
    assert str(caught.value) == (
        "unknown capability 'scout'; valid capabilities: scouts, dependencies, uploads, "
        "per_task_env, priority, max_instances, retries, preemptible, notify, outputs"
    )
    with pytest.raises(ValueError):
        Capabilities((), notes={"email": "no"})


def test_every_available_connector_declares_known_capabilities_and_a_summary():
    keys = {f.key for f in FEATURES}
    for entry in registry.farm_entries():
        if entry.connector is None:
            continue
        assert issubclass(entry.connector, Connector)
        assert entry.connector.name == entry.name
        assert entry.connector.summary
        assert set(entry.connector.capabilities.as_dict()) == keys


def payload(**changes):
    base = {
        "job_title": "t",
        "priority": 5,
        "scout_frames": "",
        "notify": {"emails": []},
        "upload_paths": [],
        "autoretry_policy": {"failed": {"max_retries": 0}},
        "preemptible": False,
        "tasks_data": [{"command": "true", "frames": "1"}],
    }
    base.update(changes)
    return base


def texts(messages):
    return ["{} {}".format(m.level, m) for m in messages]


def test_a_farm_that_honours_nothing_says_so_field_by_field():
    everything = payload(
        scout_frames="1",
        tasks_data=[
            {"command": "a", "frames": "1"},
            {"command": "b", "frames": "2", "depends_on": [0], "environment": {"A": "1"}},
        ],
        upload_paths=["/s/a.blend", "/s/b.png"],
        priority=800,
        max_instances=3,
        autoretry_policy={"failed": {"max_retries": 2}, "preempted": {"max_retries": 1}},
        preemptible=True,
        notify={"emails": ["a@example.com"]},
    )
    caps = Capabilities((), notes={"uploads": "the nodes must see the same paths"})
    assert texts(unhonoured(caps, everything, "x")) == [
        "warning scout_frames: the x farm will not honour the scout frames: every task runs at "
        "once",
        "warning tasks_data[1].depends_on: the x farm will not honour task dependencies: tasks "
        "run in any order",
        "warning upload_paths: the x farm will not honour uploads: the 2 listed file(s) are not "
        "sent; the nodes must see the same paths",
        "warning tasks_data[1].environment: the x farm will not honour per-task environments: "
        "tasks get only the job's environment",
        "warning priority: the x farm will not honour priority 800: the job runs at the default",
        "warning max_instances: the x farm will not honour max_instances 3: as many tasks run "
        "at once as it has room for",
        "warning autoretry_policy: the x farm will not honour automatic retries (2): a failed "
        "task stays failed",
        "warning preemptible: the x farm will not honour preemptible: the job runs on its usual "
        "machines",
        "warning notify: the x farm will not honour notify: no email goes to a@example.com",
    ]
    every = Capabilities([f.key for f in FEATURES])
    assert unhonoured(every, everything, "x") == []


def test_scouts_on_a_farm_with_dependencies_become_a_stage():
    caps = Capabilities(("dependencies",))
    assert texts(unhonoured(caps, payload(scout_frames="1,10"), "y")) == [
        "info scout_frames: the y farm runs the scout tasks as a first stage that the other "
        "tasks depend on"
    ]


def test_a_farm_ordering_only_whole_jobs_declares_its_scout_stage():
    assert Capabilities(("dependencies",)).scout_stage is True
    assert Capabilities(()).scout_stage is False
    assert Capabilities(("scouts", "dependencies")).scout_stage is False  # scouts of its own
    assert Capabilities(("scouts",), scout_stage=True).scout_stage is False
    caps = Capabilities(("uploads",), scout_stage=True)
    assert texts(unhonoured(caps, payload(scout_frames="1"), "z")) == [
        "info scout_frames: the z farm runs the scout tasks as a first stage that the other "
        "tasks depend on"
    ]


def test_every_farm_without_scouts_runs_them_as_a_stage():
    """Issue 7: scout frames on engines without them become a scout stage the rest depends
    on. No farm may lack both."""
    for entry in registry.farm_entries():
        if entry.connector is None:
            continue
        caps = entry.connector.capabilities
        assert "scouts" in caps or caps.scout_stage, entry.name


def test_defaults_ask_for_nothing():
    assert unhonoured(Capabilities(), payload(), "x") == []


def test_capabilities_of_a_url_are_the_conductor_farms():
    assert farm_capabilities("https://farm.example.com") == (
        "conductor",
        ConductorConnector.capabilities,
    )
    assert farm_capabilities("local")[1] is LocalFarmConnector.capabilities


# -- the job model ------------------------------------------------------------------------------
def build(**settings):
    values = {"frames": "1-4", "task_template": "echo <chunkstart>", "instance_type": ""}
    values.update(settings)
    return build_submission(JobSettings(**values), HostContext(job_name="j", pdir="/tmp"))


def test_max_instances_is_sent_only_when_set_and_never_negative():
    assert "max_instances" not in build().to_payload()
    assert build(max_instances=3).to_payload()["max_instances"] == 3
    errors = [str(m) for m in build(max_instances=-1).errors]
    assert "max_instances: must be a whole number of at least 0, got -1" in errors


def test_an_unknown_farm_in_the_settings_is_a_validation_error():
    errors = [str(m) for m in build(farm="slurmm").errors]
    assert "farm: unknown farm 'slurmm'; valid farms: " + VALID in errors
    assert not any(m.field == "farm" for m in build(farm="slurm").errors)


def test_the_native_form_of_a_conductor_protocol_farm_is_its_payload(tmp_path):
    submission = build(instance_type="x")
    for farm in ("local", "https://farm.example.com"):
        folder = str(tmp_path / farm.replace("/", "_"))
        written = native_form(farm, submission, folder)
        assert written == [os.path.join(folder, "payload.json")]
        with open(written[0]) as handle:
            assert handle.read() == submission.payload_json()
    written = native_form("conductor", {"job_title": "t"}, str(tmp_path / "c"), {"x": 1})
    with open(written[0]) as handle:
        assert json.load(handle) == {"job_title": "t", "x": 1}


# -- the command line ------------------------------------------------------------------------
def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_farmhand_farms_lists_every_farm_with_its_capabilities(capsys):
    code, out, err = run_cli(capsys, "farms")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["FARM", "SCOUTS", "DEPENDENCIES", "UPLOADS"]
    names = [line.split()[0] for line in lines[1:]]
    assert names == list(connector_names())
    local = lines[1].split()
    assert local[:11] == ["local", "yes", "yes", "yes", "-", "yes", "-", "yes", "-", "-", "yes"]
    scouts = {line.split()[0]: line.split()[1] for line in lines[1:]}
    assert [scouts[name] for name in ("opencue", "openjd", "gridmarkets", "slurm")] == [
        "stage", "stage", "stage", "yes"]
    code, out, _ = run_cli(capsys, "farms", "--json")
    records = {r["name"]: r for r in json.loads(out)}
    assert records["conductor"]["supports"]["notify"] is True
    assert records["local"]["notes"]["notify"] == "it sends no email"
    assert records["gridmarkets"]["scout_stage"] is True
    assert records["gridmarkets"]["supports"]["scouts"] is False
    assert records["local"]["scout_stage"] is False


def job_file(tmp_path, **changes):
    job = {
        "frames": "1-2",
        "task_template": "echo <chunkstart>",
        "instance_type": "cpu-1",
        "output_path": str(tmp_path / "out"),
        "notify": ["a@example.com"],
    }
    job.update(changes)
    path = tmp_path / "job.json"
    path.write_text(json.dumps(job))
    return str(path)


def test_preview_says_what_the_chosen_farm_will_not_honour(capsys, tmp_path):
    path = job_file(tmp_path, farm="conductor")
    code, out, err = run_cli(capsys, "preview", "--catalogue", "none", path, "--farm", "local")
    assert code == 0 and json.loads(out)["notify"] == {"emails": ["a@example.com"]}
    assert err == (
        "farmhand: warning: notify: the local farm will not honour notify: no email goes to "
        "a@example.com; it sends no email\n"
    )
    code, out, err = run_cli(capsys, "preview", "--catalogue", "none", "--info", path)
    assert code == 0 and err == ""  # the job file's farm, conductor, sends emails


def test_preview_exports_the_native_form(capsys, tmp_path):
    path = job_file(tmp_path)
    folder = tmp_path / "native"
    code, out, err = run_cli(
        capsys, "preview", "--catalogue", "none", path, "--export", str(folder)
    )
    assert code == 0
    assert "wrote {}\n".format(folder / "payload.json") in err
    assert (folder / "payload.json").read_text() == out


def test_a_bad_farm_in_the_job_file_or_on_the_command_line_exits_2(capsys, tmp_path):
    path = job_file(tmp_path, farm="slurmm")
    code, out, err = run_cli(capsys, "submit", path)
    assert (code, out) == (2, "")
    assert err == "farmhand: error: farm: unknown farm 'slurmm'; valid farms: {}\n".format(VALID)
    code, out, err = run_cli(capsys, "preview", "--catalogue", "none", path)
    assert code == 2 and "farmhand: error: farm: unknown farm 'slurmm'" in err
    code, out, err = run_cli(capsys, "submit", job_file(tmp_path), "--target", "nope")
    assert (code, err) == (
        2,
        "farmhand: error: farm: unknown farm 'nope'; valid farms: {}\n".format(VALID),
    )


def test_a_farm_that_has_not_landed_exits_1_naming_it(capsys, tmp_path, monkeypatch):
    monkeypatch.setitem(CONNECTORS, "future", "farmhand.core.connectors.future.connector:X")
    monkeypatch.setattr(registry, "connector_names", lambda: tuple(sorted(CONNECTORS)))
    monkeypatch.setattr(
        sys.modules["farmhand.core.connectors.target"],
        "connector_names",
        lambda: tuple(sorted(CONNECTORS)),
    )
    code, out, err = run_cli(capsys, "jobs", "--farm", "future")
    assert code == 1
    assert err.startswith("farmhand: error: the future farm is not implemented yet (issue 7)")
