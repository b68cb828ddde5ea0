"""Which CDK library the constructs use: one per process, chosen by GRAFANA_OKTA_SCIM_CDK or by
what is installed; a scope built with the other library is refused with a clear error.

Each case runs in a fresh interpreter: the choice is made once, when grafana_okta_scim.constructs
is first imported.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from grafana_okta_scim.constructs import CDK_LIBRARY

from .conftest import ROOT

OTHER = {"cdktf": "cdktn", "cdktn": "cdktf"}[CDK_LIBRARY]


def run_python(code: str, choice: str | None) -> subprocess.CompletedProcess[str]:
    """`code` in a fresh interpreter, GRAFANA_OKTA_SCIM_CDK set to `choice` (None: unset)."""
    env = {key: value for key, value in os.environ.items() if key != "GRAFANA_OKTA_SCIM_CDK"}
    env["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] = "20"
    if choice is not None:
        env["GRAFANA_OKTA_SCIM_CDK"] = choice
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("choice", ["cdktf", "cdktn"])
def test_the_variable_chooses_and_the_other_library_is_never_imported(choice: str) -> None:
    # GIVEN both libraries installed  WHEN the variable names one
    done = run_python(
        """
        import sys
        from grafana_okta_scim.constructs import CDK_LIBRARY, GrafanaOktaScim, cdk, okta
        print(CDK_LIBRARY, cdk.__name__, sorted({"cdktf", "cdktn"} & set(sys.modules)))
        print(next(c.__module__ for c in okta.OktaAppSaml.__mro__ if c.__name__ == "TerraformResource"))
    """,
        choice,
    )
    # THEN the constructs and typed classes are built on it, and the other one is not loaded
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == [f"{choice} {choice} ['{choice}']", choice]


def test_both_installed_and_the_variable_unset_is_an_error_naming_it() -> None:
    done = run_python("import grafana_okta_scim.constructs", None)
    assert done.returncode != 0
    assert done.stderr.strip().splitlines()[-1] == (
        "grafana_okta_scim.constructs._cdk.CdkSelectionError: grafana_okta_scim.constructs: both "
        "cdktf (CDKTF) and cdktn (CDK Terrain) are installed; set GRAFANA_OKTA_SCIM_CDK=cdktf or "
        "GRAFANA_OKTA_SCIM_CDK=cdktn to choose the one this process uses"
    )


def test_a_wrong_value_is_an_error() -> None:
    done = run_python("import grafana_okta_scim.constructs", "terraform-cdk")
    assert (
        done.stderr.strip()
        .splitlines()[-1]
        .endswith(
            "CdkSelectionError: GRAFANA_OKTA_SCIM_CDK: got 'terraform-cdk'; expected 'cdktf' or 'cdktn'"
        )
    )


@pytest.mark.parametrize(
    ("hidden", "choice", "message"),
    [
        (["cdktf"], None, "CDK Terrain"),  # only cdktn left: chosen without the variable
        (["cdktn"], None, "CDKTF"),
        (
            ["cdktf", "cdktn"],
            None,
            "needs a CDK library (with the constructs and jsii packages and "
            "Node.js): pip install 'grafana-okta-scim[cdktf]' (CDKTF) or 'grafana-okta-scim[cdktn]' "
            "(CDK Terrain)",
        ),
        (
            ["cdktn"],
            "cdktn",
            "GRAFANA_OKTA_SCIM_CDK=cdktn: cdktn (CDK Terrain) is not installed; "
            "pip install 'grafana-okta-scim[cdktn]'",
        ),
    ],
)
def test_without_the_variable_the_installed_library_is_used(
    hidden: list[str], choice: str | None, message: str
) -> None:
    # GIVEN some libraries made unimportable (as if not installed)
    done = run_python(
        f"""
        import sys
        for name in {hidden!r}:
            sys.modules[name] = None
        try:
            from grafana_okta_scim.constructs import _cdk
        except ImportError as exc:
            print(type(exc).__name__, exc)
        else:
            print(_cdk.LIBRARIES[_cdk.NAME])
    """,
        choice,
    )
    # THEN the one left is used, or the error says what to install
    assert done.returncode == 0, done.stderr
    assert message in done.stdout, done.stdout


def test_a_scope_from_the_other_library_is_refused() -> None:
    # GIVEN an app built with the other library, this process's library chosen by the variable
    done = run_python(
        f"""
        import {OTHER} as other
        from grafana_okta_scim import example_spec
        from grafana_okta_scim.constructs import GrafanaOktaScim, GrafanaScimConfig, okta

        class Identity(other.TerraformStack):
            pass

        stack = Identity(other.App(), "identity")
        spec = example_spec()
        for make in (
            lambda: GrafanaOktaScim(stack, "scim", integration=spec.integrations[0], okta=spec.okta),
            lambda: GrafanaScimConfig(stack, "config"),
            lambda: okta.OktaAppSaml(stack, "app", label="Grafana"),
        ):
            try:
                make()
            except TypeError as exc:
                print(type(exc).__name__, exc)
        print(stack.node.children)
    """,
        CDK_LIBRARY,
    )
    # WHEN a construct, a small construct and a typed class are added to it
    # THEN each is refused before it joins the tree, naming both libraries and the variable
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    tail = (
        f"scope: identity is a {OTHER}.TerraformStack ({'CDK Terrain' if OTHER == 'cdktn' else 'CDKTF'}), "
        f"but grafana_okta_scim.constructs uses {CDK_LIBRARY} "
        f"({'CDK Terrain' if CDK_LIBRARY == 'cdktn' else 'CDKTF'}) in this process; build the app "
        f"with {CDK_LIBRARY}, or set GRAFANA_OKTA_SCIM_CDK={OTHER} before importing "
        "grafana_okta_scim.constructs"
    )
    assert lines == [
        f"CdkScopeError identity/scim: {tail}",
        f"CdkScopeError identity/config: {tail}",
        f"CdkScopeError identity/app: {tail}",
        "[]",
    ]


def test_a_scope_that_is_no_construct_is_refused() -> None:
    from grafana_okta_scim.constructs import CdkScopeError, GrafanaScimConfig

    with pytest.raises(CdkScopeError, match=r"^config: scope: got str; expected a construct"):
        GrafanaScimConfig("identity", "config")  # type: ignore[arg-type]
