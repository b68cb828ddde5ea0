"""Hypothesis over what a user can write: Okta app labels, group names and Grafana URLs.

For every generated spec: HCL and JSON parse, the HCL round-trips to the JSON form, the values come
back exactly as written after decoding HCL and Terraform template escapes (so `a${b}"c` stays
`a${b}"c`), the HCL is `terraform fmt`-clean (one fmt run over all examples at the end), and no
generated file holds a secret value passed through the environment.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, reject, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from grafana_okta_scim import Spec, SpecError, build, write_output
from tests.conformance import check_module, template_parts
from tests.core._support_checks import (
    NO_TERRAFORM,
    TERRAFORM,
    hcl_file,
    json_text_file,
    terraform_fmt_check,
    unescape_hcl,
)

SECRET_VARIABLES = ("GRAFANA_AUTH", "OKTA_API_TOKEN", "GRAFANA_CLOUD_ACCESS_POLICY_TOKEN")
TRICKY = [
    *"\"\\{}'`#=[].- \n\t\r\x00\x7f\u0085\u2028é😀",
    "${",
    "%{",
    "$${",
    "%%{",
    "${x}",
    "%{ if y }",
    "$${z}",
    "//",
    "/*",
    "<<EOF",
    '${"}',
]
# python-hcl2 8.1.4 lexes an escaped `$${` / `%%{` only when a `}` follows in the same string
# (ESCAPED_INTERPOLATION = /\$\$\{[^}]*\}/ in its grammar; upstream issues #201, #238), so a value with
# an unclosed `${` or `%{` is valid HCL that it cannot parse. Terraform parses it (the fmt run covers
# those cases) and the JSON checks still apply; only the python-hcl2 round trip is skipped for them.
HCL2_UNPARSEABLE = re.compile(r"[$%]\{[^}]*\Z")
GROUP_INDEX = re.compile(r'^\$\{data\.okta_group\.[a-z][a-z0-9_-]*\[("(?:[^"\\]|\\.)*")\]\.id\}$', re.DOTALL)


def tricky_text(max_pieces: int, alphabet: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[str]:
    """Short strings mixing HCL/JSON/template metacharacters with arbitrary characters."""
    characters = st.characters(exclude_categories=["Cs"]) if alphabet is None else alphabet
    piece = st.one_of(st.sampled_from(TRICKY), characters)
    return st.lists(piece, min_size=1, max_size=max_pieces).map("".join)


HOST_PIECES = st.sampled_from(["grafana", "example", "a-b", "x1", "xn--bcher-kva", "0"])
HOST = st.lists(HOST_PIECES, min_size=1, max_size=4).map("".join).map(lambda host: f"{host}.example.com")
# Every character a URL path may hold unencoded (the spec refuses others), plus percent-escapes.
PATH_PIECES = st.one_of(
    st.sampled_from(["$", "%24", "%7B", "'", "(", ")", "&", "=", ";", ":", "@", "~", "+", ","]),
    st.characters(whitelist_categories=["Ll", "Lu", "Nd"], max_codepoint=127),
)
PATH = st.lists(st.lists(PATH_PIECES, min_size=1, max_size=6).map("".join), min_size=1, max_size=3).map(
    lambda segments: "/" + "/".join(segments)
)


@dataclass(frozen=True)
class Case:
    """One generated spec's user-written values."""

    kind: str
    url: str
    label: str
    groups: tuple[str, ...]
    push_groups: tuple[str, ...]

    def python_hcl2_can_parse(self) -> bool:
        """False when a value hits python-hcl2's escaped-interpolation limitation (see above)."""
        return not any(HCL2_UNPARSEABLE.search(v) for v in (self.url, self.label, *self.groups))

    def spec(self) -> dict[str, Any]:
        grafana: dict[str, Any] = {"kind": self.kind, "url": self.url}
        if self.kind == "cloud":
            grafana |= {"stack_slug": "example", "stack_id": 123456}
        else:
            grafana["org_id"] = 2
        return {
            "version": 1,
            "okta": {"org_name": "example", "base_url": "okta.com"},
            "integrations": [
                {
                    "name": "prod",
                    "grafana": grafana,
                    "scim": {"user_sync": True, "group_sync": True},
                    "okta_app": {
                        "label": self.label,
                        "assignments": [{"group": g, "priority": i} for i, g in enumerate(self.groups)],
                        "push_groups": list(self.push_groups),
                    },
                    "provisioning": {"actions": {"push_groups": bool(self.push_groups)}},
                }
            ],
        }


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """A cloud stack URL or an enterprise URL with a sub-path, a label, groups and pushed groups.

    Half the cases keep every value python-hcl2-parseable, so most cases get the round trip.
    """
    parseable = draw(st.booleans())

    def value(strategy: st.SearchStrategy[str]) -> str:
        return draw(strategy.filter(lambda s: not HCL2_UNPARSEABLE.search(s)) if parseable else strategy)

    kind = draw(st.sampled_from(["cloud", "enterprise"]))
    url = "https://" + value(HOST) + (value(st.one_of(st.just(""), PATH)) if kind == "enterprise" else "")
    groups = tuple(draw(st.lists(tricky_text(8), max_size=3, unique=True)))
    if parseable:
        groups = tuple(g for g in groups if not HCL2_UNPARSEABLE.search(g))
    push = tuple(g for g in groups if draw(st.booleans()))
    return Case(kind, url, value(tricky_text(12).filter(lambda s: len(s) <= 100)), groups, push)


def literal(template: str) -> str:
    """The value of a Terraform string template that must hold no interpolation or directive."""
    text, expressions = template_parts(template)
    assert expressions == [], f"unexpected template sequence in {template!r}"
    return text


def check_values(case: Case, module: dict[str, Any]) -> None:
    """Every user-written value comes back exactly, in the JSON form (the HCL equals it)."""
    resources = module["resource"]
    assert literal(resources["okta_app_saml"]["prod"]["label"]) == case.label
    base = case.url.rstrip("/")
    assert literal(module["provider"]["grafana"][0]["url"]) == base
    assert literal(resources["okta_app_saml"]["prod"]["sso_url"]) == base + "/saml/acs"
    assert literal(resources["okta_app_saml"]["prod"]["audience"]) == base + "/saml/metadata"
    assert literal(module["output"]["scim_base_url"]["value"]).startswith(base + "/apis/scim.grafana.app/")
    locals_ = module.get("locals", {})
    assert [literal(g) for g in locals_.get("prod_assigned_groups", [])] == list(case.groups)
    assert [literal(g) for g in locals_.get("prod_push_groups", [])] == list(case.push_groups)
    if case.groups:
        indexed = []
        for group in resources["okta_app_group_assignments"]["prod"]["group"]:
            match = GROUP_INDEX.match(group["id"])
            assert match, group["id"]
            indexed.append(literal(unescape_hcl(match[1][1:-1])))
        assert indexed == list(case.groups)


def test_user_values_survive_both_forms(tmp_path_factory: pytest.TempPathFactory) -> None:
    root = tmp_path_factory.mktemp("properties")
    sentinels = {name: f"sentinel-{name.lower()}-{secrets.token_hex(12)}" for name in SECRET_VARIABLES}
    seen: list[Case] = []

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(case=cases())
    def check(case: Case) -> None:
        with pytest.MonkeyPatch.context() as env:
            for name, value in sentinels.items():
                env.setenv(name, value)
            try:
                docs = build(Spec.model_validate(case.spec()), "scim.yaml")
            except (ValidationError, SpecError):
                reject()
            folder = root / f"case-{len(seen)}"
            seen.append(case)
            write_output(docs, folder / "hcl", "hcl")
            write_output(docs, folder / "json", "json")
        for path in folder.rglob("*"):
            if path.is_file():
                text = path.read_text(encoding="utf-8")
                if path.name.endswith(".tf.json"):
                    json.loads(text)
                assert not any(value in text for value in sentinels.values()), path
        doc = docs["prod"]
        module = doc.to_json()
        assert check_module(module) == []
        check_values(case, module)
        hcl_files, json_files = doc.to_hcl_files(), doc.to_json_files()
        if case.python_hcl2_can_parse():
            for name, text in hcl_files.items():
                assert hcl_file(text) == json_text_file(json_files[name + ".json"]), name
        else:
            event("python-hcl2 round trip skipped (unclosed escaped ${ or %{)")

    check()
    parsed = [case for case in seen if case.python_hcl2_can_parse()]
    assert len(parsed) >= 20, "too few generated specs went through the python-hcl2 round trip"
    assert len(seen) >= 30, "too many generated specs were rejected; the strategies need fixing"
    if TERRAFORM is None:
        pytest.skip(NO_TERRAFORM + " (parse, round-trip and secret checks passed)")
    result = terraform_fmt_check(root)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


def test_python_hcl2_still_cannot_parse_an_unclosed_escaped_interpolation() -> None:
    """Canary for the workaround above: when python-hcl2 parses this, drop HCL2_UNPARSEABLE."""
    import hcl2

    assert hcl2.loads('locals {\n  a = "x$${y}"\n}\n')["locals"][0]["a"] == '"x$${y}"'
    with pytest.raises(Exception, match="Unexpected"):
        hcl2.loads('locals {\n  a = "x$${y"\n}\n')
