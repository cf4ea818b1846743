"""farmhand.api.envoy against an Envoy service: what the client sends and how it reads the
answers, against a stand-in that answers like the published client expects (no Envoy runs
here; tests/support/envoy_stand_in.py). Runs on every host Python."""

import pytest
from envoy_stand_in import EnvoyStandIn

from farmhand.api.envoy import (
    APIError,
    AuthenticationError,
    EnvoyClient,
    InsufficientCreditsError,
    InvalidRequestError,
    Job,
    Project,
    WatchFile,
)

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def envoy():
    with EnvoyStandIn() as stand_in:
        yield stand_in


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "sample_project"
    (root / "assets").mkdir(parents=True)
    (root / "scene.hip").write_bytes(b"hip")
    (root / "assets" / "tex.png").write_bytes(b"png")
    project = Project(str(root), submission_name="s1", project_env={"HOUDINI_PATH": "&"})
    project.add_files(project.LocalRoot, project.RemoteRoot)
    job = Job("beauty", "hou", "17.5.173", "render", "/sample_project/scene.hip",
              instances=4, machine_type="gm4800", plugins=["hou_redshift"], frames="1 10",
              rop_nodetype="Redshift_ROP", rop_nodepath="/out/rs1")
    project.add_jobs(job)
    project.add_watch_files(WatchFile(project.remote_output_folder + "/.+", str(tmp_path / "r")))
    return project


def client_of(envoy, monkeypatch=None):
    client = EnvoyClient(url=envoy.url)
    client.authenticate("artist@example.com", "secret")
    return client


def test_the_url_variable_picks_the_service(envoy, monkeypatch):
    monkeypatch.setenv("GRIDMARKETS_ENVOY_URL", envoy.url)
    client = EnvoyClient(email="artist@example.com", access_key="secret")
    assert client.describe() == "the Envoy service at {}".format(envoy.url)
    assert client.validate_auth() is True
    assert envoy.sent("POST", "/auth") == [
        {"Username": "artist@example.com", "AccessKey": "secret"}
    ]


def test_account_products_and_credits(envoy):
    client = client_of(envoy)
    assert client.get_user_info()["service_plan"] == "Standard"
    assert client.validate_credits() is True
    resolver = client.get_product_resolver()
    assert sorted(resolver.get_all_types(False)) == ["blender", "hou"]
    assert resolver.get_versions_by_type("hou_redshift") == ["2.6.37", "2.6.38"]
    both = resolver.get_compatible_combinations(["hou:17.5.173", "hou:17.5.229"])
    assert {k: v["versions"] for k, v in both.items()} == {"hou_redshift": ["2.6.38"]}


def test_submit_sends_the_project_as_the_published_client_does(envoy, project):
    client = client_of(envoy)
    assert client.submit_project(project) == "sample_project"
    (body,) = envoy.sent("POST", "/project-submit")
    assert body["project_files"] == {
        "localRoot": project.LocalRoot,
        "remoteRoot": "/sample_project",
        "files": ["assets/tex.png", "scene.hip"],
    }
    assert body["project_request"]["name"] == "sample_project s1"
    assert body["project_request"]["params"] == {"project_env": {"HOUDINI_PATH": "&"}}
    (job,) = body["project_request"]["jobs"]
    assert job["app"] == "hou" and job["plugins"] == ["hou_redshift"]
    assert job["params"]["output_upload"] == ["/sample_project/render_results/s1/.+"]
    assert job["params"]["billing_meta"] == ["hou", "hou_redshift"]
    assert list(body["watch_files"].values()) == [str(project.LocalRoot).rsplit("/", 1)[0] + "/r"]
    assert "skip_upload" not in body
    client.submit_project(project, True)
    assert envoy.sent("POST", "/project-submit")[1]["skip_upload"] is True
    assert client.upload_project_files(project) == "sample_project"
    assert envoy.sent("POST", "/upload") == [
        {"upload": [{"localRoot": project.LocalRoot, "remoteRoot": "/sample_project",
                     "files": ["assets/tex.png", "scene.hip"]}]}
    ]


def test_status_is_the_services_answer(envoy):
    status = {"Code": 200, "State": "Submitted", "Message": "Job submission successful.",
              "BytesDone": 1, "BytesTotal": 1, "Details": {}, "Speed": 0}
    envoy.answers[("GET", "/project-status/sample%20project")] = (200, status)
    assert client_of(envoy).get_project_status("sample project") == status
    with pytest.raises(InvalidRequestError) as caught:
        client_of(envoy).get_project_status("missing")
    assert "answered GET /project-status/missing with HTTP 404" in str(caught.value)


def test_refused_credentials(envoy):
    client = EnvoyClient(url=envoy.url)
    with pytest.raises(AuthenticationError) as caught:
        client.authenticate("artist@example.com", "wrong")
    assert "the credentials of 'artist@example.com' were refused" in str(caught.value)
    assert caught.value.http_status == 401
    with pytest.raises(AuthenticationError) as caught:
        EnvoyClient(url=envoy.url).get_user_info()
    assert str(caught.value).startswith("no credentials: call authenticate(email, password)")
    with pytest.raises(AuthenticationError) as caught:
        client.authenticate("", "secret")
    assert str(caught.value) == "email: expected a non-empty string, got ''"


def test_no_credits_no_submission(project):
    with EnvoyStandIn(credits=0.0) as envoy:
        client = client_of(envoy)
        with pytest.raises(InsufficientCreditsError) as caught:
            client.submit_project(project)
        assert str(caught.value) == "insufficient credits: 0.0 available on the Envoy service" \
            " at {}".format(envoy.url)
        assert envoy.sent("POST", "/project-submit") == []


def test_a_refused_project_is_an_invalid_request_with_the_reasons(envoy, project):
    envoy.answers[("POST", "/project-submit")] = (400, {"frames": "bad range"})
    with pytest.raises(InvalidRequestError) as caught:
        client_of(envoy).submit_project(project)
    assert caught.value.errors == {"frames": "bad range"}
    assert "answered POST /project-submit with HTTP 400" in str(caught.value)


def test_what_has_no_published_wire_form_is_refused(envoy, project):
    client = client_of(envoy)
    with pytest.raises(APIError) as caught:
        client.get_machines("hou", "render", category=EnvoyClient.MACHINE_CATEGORY_CPU)
    assert str(caught.value).startswith("the Envoy service's API for machine types is not")
    project.jobs[0].set_credits_budget(50.0, Job.CREDITS_BUDGET_ACTION_STOP)
    with pytest.raises(InvalidRequestError) as caught:
        client.submit_project(project)
    assert str(caught.value).startswith(
        "credits_budget: the Envoy service's API for credit budgets is not published"
    )
    assert envoy.sent("POST", "/project-submit") == []


def test_a_service_that_fails_or_is_gone_is_an_api_error(envoy):
    envoy.answers[("GET", "/user-info")] = (500, {"error": "boom"})
    with pytest.raises(APIError) as caught:
        client_of(envoy).get_user_info()
    assert "answered GET /user-info with HTTP 500" in str(caught.value)
    gone = EnvoyClient(email="a@b.c", access_key="k", url="http://127.0.0.1:9")
    with pytest.raises(APIError) as caught:
        gone.validate_auth()
    assert str(caught.value) == (
        "cannot reach the Envoy service at http://127.0.0.1:9 (connection refused); start"
        " Envoy, or unset GRIDMARKETS_ENVOY_URL to use the local farm"
    )
