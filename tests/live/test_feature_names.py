"""The Okta feature names are written once (grafana_okta_scim.live.okta) and match what the
twin, modelled on Okta independently of the package, lists for a SCIM app."""

from __future__ import annotations

from grafana_okta_scim.live import FEATURE_OF_TOGGLE, PROVISIONING_FEATURES
from tests.twin.okta import PROVISIONING_FEATURES as TWIN_TO_APP_FEATURES


def test_to_app_toggles_name_the_features_the_twin_lists():
    to_app = [name for (section, _), name in PROVISIONING_FEATURES.items() if section == "to_app"]
    assert tuple(to_app) == TWIN_TO_APP_FEATURES


def test_every_spec_toggle_key_has_one_feature_name():
    assert FEATURE_OF_TOGGLE["push_groups"] == "GROUP_PUSH"
    assert FEATURE_OF_TOGGLE["import_new_users_and_profile_updates"] == "IMPORT_NEW_USERS"
    assert len(set(FEATURE_OF_TOGGLE.values())) == len(PROVISIONING_FEATURES)
