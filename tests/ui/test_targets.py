"""Farm targets as the Farm section offers and opens them."""

import pytest

from farmhand.core.connectors import connector_names
from farmhand.core.errors import InputError
from farmhand.core.job import JobSettings
from farmhand.shared_ui.form import JobForm
from farmhand.shared_ui.targets import LOCAL, SERVICE, FarmTarget, target_kinds

pytestmark = pytest.mark.ui


def test_the_menu_offers_local_a_service_and_every_other_connector(qtbot):
    kinds = [kind for kind, _ in target_kinds()]
    assert kinds == [LOCAL, SERVICE] + [
        n for n in connector_names() if n not in ("local", "conductor")
    ]
    form = JobForm()
    qtbot.addWidget(form)
    combo = form.farm.kind_combo
    assert [combo.itemData(i) for i in range(combo.count())] == kinds


def test_targets_from_the_environment_and_from_text():
    assert FarmTarget.from_environment({}) == FarmTarget(LOCAL)
    env = {"CONDUCTOR_URL": "https://farm.example.com", "CONDUCTOR_API_KEY": "{}"}
    assert FarmTarget.from_environment(env) == FarmTarget(SERVICE, "https://farm.example.com",
                                                          "{}")
    assert FarmTarget.from_text("local") == FarmTarget(LOCAL)
    assert FarmTarget.from_text("https://farm.example.com").kind == SERVICE
    assert FarmTarget("service", "https://f.example.com").describe() == \
        "the farm at https://f.example.com"


def test_an_unknown_connector_lists_the_valid_targets():
    with pytest.raises(InputError) as caught:
        FarmTarget("tractorr").open()
    assert str(caught.value).startswith("farm: unknown farm 'tractorr'; valid farms: local")


def test_a_key_typed_in_the_form_must_be_a_key():
    with pytest.raises(InputError) as caught:
        FarmTarget(SERVICE, "https://farm.example.com", "not a key").open()
    assert caught.value.field == "api_key"
    assert str(caught.value) == "api_key: the API key typed in the Farm section is neither JSON " \
        "nor base64-encoded JSON"


def test_the_farm_section_owns_the_farm_setting_and_keeps_what_was_loaded(qtbot):
    form = JobForm()
    qtbot.addWidget(form)
    section = form.farm
    assert section.field_names() == ["farm", "max_instances"]
    assert form.owned_fields()["farm"] is section
    form.load(JobSettings(farm="slurm", max_instances=4))
    assert section.target() == FarmTarget("slurm")
    assert (form.settings().farm, form.settings().max_instances) == ("slurm", 4)
    form.load(JobSettings())  # names no farm: keeps the target shown, stores none
    assert section.target() == FarmTarget("slurm")
    assert form.settings().farm == ""
    section.set_target(FarmTarget(LOCAL))
    assert form.settings().farm == "local"
    section.set_target(FarmTarget(SERVICE, "https://farm.example.com", "secret"))
    assert form.settings().farm == "https://farm.example.com"  # never the key
    form.load(JobSettings(farm="conductor"))
    assert section.target().kind == SERVICE
    assert form.settings().farm == "conductor"


def test_the_menu_labels_name_the_farm_and_the_row_says_farm(qtbot):
    form = JobForm()
    qtbot.addWidget(form)
    labels = dict(target_kinds())
    assert labels["slurm"] == "Slurm cluster"
    assert "Farm" in [label.text() for label in form.farm.labels()]
    assert FarmTarget("slurm").describe() == "the slurm farm"
