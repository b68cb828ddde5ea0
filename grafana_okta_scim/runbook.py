"""SCIM_SETUP.md: the steps Terraform cannot do for one integration, every value filled in.

Every decision (which sections, which values) is made here; templates/SCIM_SETUP.md.j2 only
loops over what this module prepares. Values come from the built document (doc.derived, the
spec) and never include a secret: the token is referred to by `terraform output`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .document import TerraformDocument
from .templating import render
from .verify.expected import expected_claim

TEMPLATE = "SCIM_SETUP.md.j2"
TOKEN_COMMAND = "terraform output -raw grafana_scim_token"
_BLANK_RUNS = re.compile(r"\n{3,}")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#])")


@dataclass(frozen=True)
class Step:
    """One numbered step, with optional sub-steps and a code block."""

    text: str
    substeps: list[str] = field(default_factory=list)
    code: str = ""
    code_lang: str = ""


@dataclass(frozen=True)
class Section:
    """A titled part of the runbook: paragraphs, then numbered steps."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)


def md(text: str) -> str:
    """Escape free text (labels, names) for Markdown."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def code(text: str) -> str:
    """A value as an inline code span."""
    fence = "``" if "`" in text else "`"
    return f"{fence}{text}{fence}"


def on_off(value: bool) -> str:
    """Okta's words for a toggle."""
    return "Enable" if value else "leave disabled"


class _Runbook:
    """Builds the sections of one integration's runbook."""

    def __init__(self, doc: TerraformDocument) -> None:
        self.doc = doc
        self.integration = doc.integration
        self.derived = doc.derived
        self.manual = self.integration.provisioning.mode == "manual"
        self.enterprise = self.integration.grafana.kind == "enterprise"

    def values(self) -> list[tuple[str, str]]:
        """The values table."""
        rows = [
            ("SCIM connector base URL", code(self.derived.scim_base_url)),
            ("Unique identifier field for users", code("userName")),
            ("Authentication mode", "HTTP Header (Bearer token)"),
            ("Bearer token", f"output of {code(TOKEN_COMMAND)}"),
            ("Grafana namespace", code(self.derived.scim_namespace)),
            ("Okta app", f"{md(self.integration.okta_app.label)} ({code(self.derived.okta_app_address)})"),
            ("Okta org", code(self.derived.okta_org_url)),
            ("SAML ACS URL", code(self.derived.acs_url)),
            ("SAML audience", code(self.derived.entity_id)),
        ]
        return rows

    def sections(self) -> list[Section]:
        """Every section, in the order a user works through them (phase 1, 2, then 3)."""
        sections = [self.apply()]
        if self.enterprise:
            sections.append(self.feature_toggle())
        sections.append(self.scim_settings())
        sections.append(self.permissions())
        if self.integration.saml.role_attribute:
            sections.append(self.role_attribute())
        sections.append(self.okta_manual() if self.manual else self.okta_api())
        sections.append(self.provisioning_on())
        sections.append(self.test())
        if self.integration.scim.reject_non_provisioned_users:
            sections.append(self.rejection())
        sections.append(self.warnings())
        return sections

    def _credentials(self) -> str:
        if self.derived.needs_server_admin:
            grafana = ("GRAFANA_AUTH (a Grafana server admin's `user:password`: self-hosted SAML "
                       "settings need `fixed:authentication.config:writer`, which by default only "
                       "the server admin holds, and objects in another org need a credential of "
                       "that org; alternatively an org admin user granted that role)")
        else:
            grafana = "GRAFANA_AUTH (Grafana service account token with Admin)"
        cloud = (", GRAFANA_CLOUD_ACCESS_POLICY_TOKEN"
                 if self.integration.service_account.via == "cloud_api" else "")
        return (f"Export the provider credentials (never put them in files): {grafana}, "
                f"OKTA_API_TOKEN{cloud}.")

    def apply(self) -> Section:
        return Section("Phase 1: apply the Terraform", paragraphs=[
            "Terraform state holds the SCIM token and the SAML private key: keep it in an "
            "encrypted backend with restricted access and never commit `terraform.tfstate` "
            "(or its backups) to a repository.",
        ], steps=[
            Step(self._credentials()),
            Step("Create everything Terraform can (Okta app, SAML, service account, group "
                 "assignments, SCIM settings without rejection):",
                 code="terraform init\nterraform apply", code_lang="sh"),
        ])

    def feature_toggle(self) -> Section:
        return Section(
            "Grafana Enterprise: the SCIM feature toggle",
            paragraphs=["SCIM is generally available from Grafana Enterprise 12.4, where the "
                        "`enableSCIM` toggle defaults to on. On older versions switch it on, in "
                        "grafana.ini or as an environment variable, and restart Grafana:"],
            steps=[
                Step("grafana.ini:", code="[feature_toggles]\nenable = enableSCIM", code_lang="ini"),
                Step("or the environment:", code="GF_FEATURE_TOGGLES_ENABLE=enableSCIM",
                     code_lang="sh"),
            ],
        )

    def scim_settings(self) -> Section:
        scim = self.integration.scim
        settings = [("user_sync_enabled", scim.user_sync), ("group_sync_enabled", scim.group_sync),
                    ("reject_non_provisioned_users", False)]
        ini = "[auth.scim]\n" + "\n".join(f"{k} = {str(v).lower()}" for k, v in settings)
        env = "\n".join(f"GF_AUTH_SCIM_{k.upper()}={str(v).lower()}" for k, v in settings)
        if self.derived.scim_config_managed:
            paragraphs = [
                "Terraform sets Grafana's SCIM settings with `grafana_scim_config` (it overrides "
                "grafana.ini). Nothing to do; for reference, the grafana.ini equivalent is:"
            ]
            steps = [Step("Equivalent `[auth.scim]` settings:", code=ini, code_lang="ini")]
        else:
            reasons = []
            if self.integration.grafana.effective_org_id != 1:
                reasons.append(f"org {self.integration.grafana.effective_org_id} "
                               f"(namespace {code(self.derived.scim_namespace)})")
            if self.integration.grafana.has_subpath:
                reasons.append(f"a Grafana served from a sub-path ({code(self.derived.grafana_url)})")
            paragraphs = [
                "Terraform cannot set the SCIM settings here: the grafana provider's "
                "`grafana_scim_config` only reaches namespace `default` at the URL's host, not "
                + " or ".join(reasons) + ". Put them in grafana.ini (or the environment) and "
                "restart Grafana:"
            ]
            steps = [Step("grafana.ini:", code=ini, code_lang="ini"),
                     Step("or the environment:", code=env, code_lang="sh")]
        if scim.group_sync:
            paragraphs.insert(0, "Group sync turns pushed Okta groups into Grafana teams; it cannot "
                              "be combined with Team Sync.")
        if scim.reject_non_provisioned_users:
            paragraphs.insert(0, "Rejection of non-provisioned users stays off until phase 3: before "
                              "SCIM has provisioned them, it would refuse SAML sign-in to everyone.")
        return Section("Grafana SCIM settings", paragraphs=paragraphs, steps=steps)

    def permissions(self) -> Section:
        account = self.integration.service_account
        group_sync = self.integration.scim.group_sync
        needed = "`fixed:org.users:writer`" + (" and `fixed:teams:writer`" if group_sync else "")
        holds = "holds both" if group_sync else "holds it"
        granted = [f"basic role `{account.role}`"] + [f"`{r}`" for r in account.fixed_roles]
        paragraphs = [
            f"Terraform created the service account `{md(account.name)}` "
            f"({code(self.derived.service_account_address)}) with " + ", ".join(granted) + ".",
            f"SCIM calls need {needed} (basic role Admin {holds}). Editor is very likely not "
            "enough. Roles themselves are not provisioned by SCIM; they come from SAML.",
        ]
        if account.role in ("Editor", "Viewer") and not account.fixed_roles:
            paragraphs.append(f"Warning: role {account.role} without fixed roles will very likely "
                              "get 403 from the SCIM API; grant the roles above.")
        return Section("Service account permissions", paragraphs=paragraphs)

    def role_attribute(self) -> Section:
        attribute = self.integration.saml.role_attribute or ""
        return Section(
            "Okta: create the role attribute",
            paragraphs=[f"The app sends each user's role from the Okta profile attribute "
                        f"{code(attribute)}. Okta has no such attribute until you create it; "
                        "without it every user signs in with the default role."],
            steps=[
                Step(f"Directory > Profile Editor > User (default) > Add Attribute: variable "
                     f"name {code(attribute)}, data type string."),
                Step(f"Set {code(attribute)} on each user (or with a profile mapping) to one of "
                     "the role values in the spec."),
            ],
        )

    def _actions(self) -> list[str]:
        actions = self.integration.provisioning.actions
        names = [
            ("Import New Users and Profile Updates", actions.import_new_users_and_profile_updates),
            ("Push New Users", actions.push_new_users),
            ("Push Profile Updates", actions.push_profile_updates),
            ("Push Groups", actions.push_groups),
        ]
        return [f"[{'x' if on else ' '}] {name}" for name, on in names]

    def _to_app(self) -> list[str]:
        to_app = self.integration.provisioning.to_app
        return [f"Create Users: {on_off(to_app.create_users)}",
                f"Update User Attributes: {on_off(to_app.update_user_attributes)}",
                f"Deactivate Users: {on_off(to_app.deactivate_users)}"]

    def _integration_tab(self, with_connection: bool) -> Step:
        substeps = []
        if with_connection:
            substeps.append(f"SCIM connector base URL: {code(self.derived.scim_base_url)}")
        substeps.append(f"Unique identifier field for users: {code('userName')}")
        substeps.append("Supported provisioning actions: " + "; ".join(self._actions()))
        if with_connection:
            substeps += [
                "Authentication Mode: HTTP Header",
                f"Authorization (Bearer): paste the output of {code(TOKEN_COMMAND)} "
                "(do not store it anywhere else)",
                "Test Connector Configuration: it must succeed (Okta calls "
                "`GET /Users?startIndex=1&count=2`), then Save.",
            ]
        else:
            substeps.append("Save; Test Connector Configuration must succeed.")
        return Step("Provisioning > Integration > Edit:", substeps=substeps)

    def _assignments(self) -> str:
        groups = [a.group or a.group_id or "" for a in self.integration.okta_app.assignments]
        if not groups:
            return ("Assignments: Terraform assigns nobody; assign the users or groups to "
                    "provision (Okta provisions assigned users only).")
        return ("Assignments: Terraform assigned " + ", ".join(code(g) for g in groups)
                + ". Users assigned before provisioning was on: use Provision User on the "
                "Assignments tab.")

    def okta_manual(self) -> Section:
        label = md(self.integration.okta_app.label)
        return Section(
            "Okta: switch on SCIM provisioning (by hand)",
            paragraphs=["Okta's public API and provider cannot switch on SCIM provisioning for a "
                        "custom SAML app, nor set the Integration tab's fields. In the Okta "
                        f"Admin Console ({code(self.derived.okta_org_url + '/admin')}), open "
                        f"Applications > {label}:"],
            steps=[
                Step("General > App Settings > Edit: Provisioning: SCIM; Save. A Provisioning "
                     "tab appears."),
                self._integration_tab(with_connection=True),
                Step("Provisioning > To App > Edit:", substeps=self._to_app()),
                Step(self._assignments()),
            ],
        )

    def okta_api(self) -> Section:
        label = md(self.integration.okta_app.label)
        return Section(
            "Okta: what Terraform still cannot do (okta-api mode)",
            paragraphs=[
                "Terraform set the connection (`okta_app_connection`: base URL, token) and the "
                "To App toggles (`okta_app_features`). Okta documents those endpoints only for "
                "some catalog apps: for a custom SAML app it answers HTTP 200 with status "
                "`UNKNOWN` instead of an error. `grafana-okta-scim verify` checks for it; if it "
                "reports UNKNOWN, set `provisioning.mode: manual` and follow the manual steps.",
                f"Still by hand, in Applications > {label}:",
            ],
            steps=[
                Step("General > App Settings: check that Provisioning shows SCIM (nothing public "
                     "switches it on)."),
                self._integration_tab(with_connection=False),
                Step("Provisioning > To App: check it shows", substeps=self._to_app()),
                Step(self._assignments()),
            ],
        )

    def provisioning_on(self) -> Section:
        paragraphs = ["Once provisioning is switched on in Okta and Test Connector Configuration "
                      "passes, tell Terraform (and `verify`) that provisioning is on."]
        groups = self.integration.okta_app.push_groups
        if groups:
            names = ", ".join(code(g) for g in groups)
            paragraphs.append(
                f"This apply creates the group push mappings for {names}: group push works only "
                "once provisioning is on, so the `okta_push_group` mappings wait for "
                "`provisioning_enabled`.")
            if self.integration.okta_app.delete_pushed_teams_on_destroy:
                paragraphs.append(
                    "Removing a push group from the spec (or setting `provisioning_enabled` back to "
                    "false) deletes its Grafana team: `okta_app.delete_pushed_teams_on_destroy` is "
                    "true.")
            else:
                paragraphs.append(
                    "Removing a push group from the spec (or setting `provisioning_enabled` back to "
                    "false) stops the push and unlinks the group; its Grafana team stays "
                    "(`delete_target_group_on_destroy = false`).")
        return Section("Phase 2: provisioning on", paragraphs=paragraphs, steps=[
            Step("Apply with provisioning on:",
                 code="terraform apply -var provisioning_enabled=true", code_lang="sh"),
            Step("Keep `provisioning_enabled = true` (e.g. in terraform.tfvars) for every later "
                 "apply."),
        ])

    def rejection(self) -> Section:
        paragraphs = [
            "The spec asks Grafana to refuse SAML sign-in to users SCIM has not provisioned. Do "
            "this last, only after `verify` passes and every existing user is provisioned (Okta: "
            "Assignments > Provision User for users assigned before provisioning was on); "
            "otherwise those users are locked out."]
        if self.derived.rejection_phased:
            steps = [Step("Apply with rejection on:",
                          code="terraform apply -var provisioning_enabled=true "
                               "-var reject_non_provisioned_users=true", code_lang="sh"),
                     Step("Keep both variables true for every later apply.")]
        else:
            steps = [Step("In grafana.ini `[auth.scim]` (or the environment) set, then restart "
                          "Grafana:", code="reject_non_provisioned_users = true", code_lang="ini")]
        return Section("Phase 3: reject non-provisioned users", paragraphs=paragraphs,
                       steps=steps)

    def test(self) -> Section:
        name = self.integration.name
        spec = self.derived.spec_name
        return Section("Test", steps=[
            Step("Assign a test user to the app and check the user appears in Grafana "
                 "(Administration > Users) and can sign in with SAML."),
            Step("Check the live integration (exit 0 = all passed):",
                 code=f"export OKTA_API_TOKEN=...   # read-only admin is enough\n"
                      f"grafana-okta-scim verify {spec} --integration {name} --terraform-dir .",
                 code_lang="sh"),
        ], paragraphs=[f"Give the path of {code(spec)}, the spec this module was generated "
                       "from. `verify` reads the token and the phase with `terraform output`; "
                       "add `--write-test` to also write as Okta does. It leaves one "
                       "deactivated user behind on purpose, `grafana-okta-scim-verify-probe` "
                       "(Grafana cannot delete SCIM users; every run reuses it, and Okta's "
                       "Import lists it as unassigned), and deletes its probe group."])

    def warnings(self) -> Section:
        notes = [
            "Re-applying `okta_app_saml` with some older okta provider releases switched "
            "hand-enabled provisioning off (okta/terraform-provider-okta issues #655 and #710). "
            "After every `terraform apply`, run `verify` or check the General tab.",
        ]
        rotation = self.integration.service_account.token.rotation
        seconds = self.integration.service_account.token.seconds_to_live
        if rotation is not None:
            lifetime = _duration(rotation.seconds_to_live)
            window = _duration(rotation.early_rotation_window_seconds)
            if self.manual:
                notes.append(
                    f"The token rotates: `terraform apply` replaces it {window} before its "
                    f"{lifetime} lifetime ends. Each new token must be entered in Okta again "
                    f"(Provisioning > Integration > Authorization, from {code(TOKEN_COMMAND)}), "
                    "or Okta's SCIM calls fail with 401.")
            else:
                notes.append(
                    f"The token rotates ({lifetime} lifetime, replaced {window} early); run "
                    "`terraform apply` regularly so `okta_app_connection` gets each new token.")
        elif seconds:
            notes.append(f"The token expires after {_duration(seconds)}; then replace it "
                         f"(`terraform apply -replace={self.derived.token_address}`) and enter "
                         "the new one in Okta.")
        claim = expected_claim(self.doc)
        if claim is not None:
            notes.append(f"Sign-in needs the {code(claim.name)} SAML attribute "
                         f"({code(' '.join(claim.values))}), which Terraform sets on the app; "
                         "without it Grafana reports \"User sync failed\".")
        return Section("Warnings", paragraphs=notes)


def _duration(seconds: int) -> str:
    if seconds % 86400 == 0:
        return f"{seconds // 86400} days"
    if seconds % 3600 == 0:
        return f"{seconds // 3600} hours"
    return f"{seconds} seconds"


def render_runbook(doc: TerraformDocument) -> str:
    """SCIM_SETUP.md for one integration (Markdown, first line the generated-file header)."""
    book = _Runbook(doc)
    integration = doc.integration
    text = render(
        TEMPLATE,
        header=doc.header,
        title=md(integration.name),
        grafana=f"{code(doc.derived.grafana_url)} ({integration.grafana.kind})",
        mode=integration.provisioning.mode,
        values=book.values(),
        sections=book.sections(),
    )
    return _BLANK_RUNS.sub("\n\n", text).rstrip("\n") + "\n"
