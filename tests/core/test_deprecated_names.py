"""The 0.1 Python API names kept through 0.2: they work, and warn with the new name."""

from __future__ import annotations

import importlib
import sys

import pytest

import grafana_okta_scim
from grafana_okta_scim import build, example_spec
from grafana_okta_scim.synth import IntegrationPlan
from grafana_okta_scim.synth import plan as synth_plan


def test_build_plan_warns_and_is_synth_plan() -> None:
    # GIVEN the 0.1 import path of plan, not yet imported in this process
    sys.modules.pop("grafana_okta_scim.build", None)
    # WHEN it is imported THEN a DeprecationWarning names the new module, and the function is synth's
    with pytest.warns(
        DeprecationWarning, match=r"grafana_okta_scim\.build\.plan .*grafana_okta_scim\.synth\.plan"
    ):
        from grafana_okta_scim.build import plan
    assert plan is synth_plan
    plans = plan(example_spec(), "cloud.yaml")
    assert all(isinstance(p, IntegrationPlan) for p in plans.values())


def test_the_package_build_function_survives_the_old_import() -> None:
    # GIVEN the shim module was imported (Python then sets grafana_okta_scim.build to the module)
    importlib.import_module("grafana_okta_scim.build")
    # WHEN the top-level build is called as a function THEN it still builds, without a warning
    docs = grafana_okta_scim.build(example_spec(), "cloud.yaml")
    assert docs.keys() == build(example_spec(), "cloud.yaml").keys()


def test_unknown_names_of_the_old_module_are_attribute_errors() -> None:
    module = importlib.import_module("grafana_okta_scim.build")
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        module.nothing  # noqa: B018


def test_document_derived_warns_and_is_facts() -> None:
    # GIVEN a built document
    doc = next(iter(build(example_spec(), "cloud.yaml").values()))
    # WHEN its 0.1 name `.derived` is read THEN it warns with the new name and is `.facts`
    with pytest.warns(
        DeprecationWarning, match=r"TerraformDocument\.derived is deprecated; use TerraformDocument\.facts"
    ):
        derived = doc.derived
    assert derived is doc.facts
