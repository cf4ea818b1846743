"""Farm targets as the Farm section offers and opens them."""

import pytest

from farmhand.core.connectors import connector_names
from farmhand.core.errors import InputError
from farmhand.shared_ui.form import JobForm
from farmhand.shared_ui.targets import LOCAL, SERVICE, FarmTarget, target_kinds

pytestmark = pytest.mark.ui


def test_the_menu_offers_local_a_service_and_every_other_connector(qtbot):
    kinds = [kind for kind, _ in target_kinds()]
    assert kinds == [LOCAL, SERVICE] + [n for n in connector_names() if n != "conductor"]
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
    assert str(caught.value).startswith("target: unknown target 'tractorr'; valid targets: local")


def test_a_key_typed_in_the_form_must_be_a_key():
    with pytest.raises(InputError) as caught:
        FarmTarget(SERVICE, "https://farm.example.com", "not a key").open()
    assert caught.value.field == "api_key"
    assert str(caught.value) == "api_key: the API key typed in the Farm section is neither JSON " \
        "nor base64-encoded JSON"
