"""The live layer's app-selection rule (grafana_okta_scim/live/okta.py), on Okta's list answers."""

from __future__ import annotations

from grafana_okta_scim.live import AppChoice


def app(ident: str, label: str = "Grafana", mode: str = "SAML_2_0") -> dict[str, str]:
    return {"id": ident, "label": label, "signOnMode": mode}


def test_the_one_saml_app_of_the_exact_label_wins():
    listed = (app("0oa1", mode="BOOKMARK"), app("0oa2", label="Grafana Dev"), app("0oa3"))
    choice = AppChoice("Grafana", listed)
    assert choice.app == app("0oa3") and not choice.ambiguous


def test_without_a_saml_app_the_first_exact_match_is_returned_for_the_caller_to_refuse():
    choice = AppChoice("Grafana", (app("0oa1", mode="OPENID_CONNECT"), app("0oa2", mode="BOOKMARK")))
    assert choice.app == app("0oa1", mode="OPENID_CONNECT")


def test_two_saml_apps_are_ambiguous_and_a_prefix_is_no_match():
    assert AppChoice("Grafana", (app("0oa1"), app("0oa2"))).app is None
    assert AppChoice("Grafana", (app("0oa1"), app("0oa2"))).ambiguous
    choice = AppChoice("Grafana", (app("0oa1", label="Grafana Prod"),))
    assert choice.app is None and choice.exact == []
