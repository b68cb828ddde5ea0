"""SCIM_SETUP.md: the steps Terraform cannot do for one integration, every value filled in.

This module decides which sections, paragraphs and steps appear and with which values, reading
the plan's facts only; the prose lives in templates/runbook/ (a file per section, a macro per
paragraph or step) and the layout in templates/SCIM_SETUP.md.j2. Nothing here is a secret: the
token is referred to by `terraform output`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from typing import Any

from .emit.templates import macro, render_file
from .facts import Facts
from .synth import IntegrationPlan

TEMPLATE = "SCIM_SETUP.md.j2"
TOKEN_COMMAND = "terraform output -raw grafana_scim_token"
_BLANK_RUNS = re.compile(r"\n\n\n+")  # a literal prefix: searched far faster than \n{3,}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#])")


@dataclass(frozen=True)
class Step:
    """One numbered step, with optional sub-steps and a code block."""

    text: str
    substeps: tuple[str, ...] = ()
    code: str = ""
    code_lang: str = ""


@dataclass(frozen=True)
class Section:
    """A titled part of the runbook: paragraphs, then numbered steps."""

    title: str
    paragraphs: tuple[str, ...] = ()
    steps: tuple[Step, ...] = ()


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


class Prose:
    """The macros of one section template: `prose.name(*values)` is that paragraph's text.

    The macros are plain text with values filled in, so a paragraph asked for again with the same
    values (the next integration's identical step) is the text already made. Values are hashable
    (tuples, not lists).
    """

    def __init__(self, section: str) -> None:
        self._section = section

    @staticmethod
    @cache
    def of(section: str) -> Prose:
        """The one Prose of a section per process (each macro looked up once)."""
        return Prose(section)

    def __getattr__(self, name: str) -> Any:
        text = partial(_paragraph, self._section, name)
        setattr(self, name, text)  # the next integration finds it without __getattr__
        return text


@lru_cache(maxsize=4096)
def _paragraph(section: str, name: str, *args: Any) -> str:
    rendered = str(macro(f"runbook/{section}.md.j2", name)(*args))
    if name.endswith("_code"):
        return rendered.strip("\n")
    return " ".join(rendered.split())


@lru_cache(maxsize=1024)
def _section_text(section: Section) -> str:
    """A section as the layout writes it: rendered once for the sections integrations share."""
    return str(macro(TEMPLATE, "section")(section.title, section.paragraphs, section.steps))


class _Runbook:
    """Chooses the sections of one integration's runbook and fills in their values."""

    def __init__(self, facts: Facts) -> None:
        self.facts = facts

    def values(self) -> list[tuple[str, str]]:
        """The values table."""
        facts = self.facts
        return [
            ("SCIM connector base URL", code(facts.scim_base_url)),
            ("Unique identifier field for users", code("userName")),
            ("Authentication mode", "HTTP Header (Bearer token)"),
            ("Bearer token", f"output of {code(TOKEN_COMMAND)}"),
            ("Grafana namespace", code(facts.scim_namespace)),
            ("Okta app", f"{md(facts.okta_app_label)} ({code(facts.okta_app_address)})"),
            ("Okta org", code(facts.okta_org_url)),
            ("SAML ACS URL", code(facts.acs_url)),
            ("SAML audience", code(facts.entity_id)),
        ]

    def sections(self) -> list[Section]:
        """Every section, in the order a user works through them (phase 1, 2, then 3)."""
        facts = self.facts
        sections = [self.apply()]
        if facts.grafana_kind == "enterprise":
            sections.append(self.feature_toggle())
        sections += [self.scim_settings(), self.permissions()]
        if facts.role_attribute:
            sections.append(self.role_attribute(facts.role_attribute))
        sections += [
            self.okta_api() if facts.okta_api_mode else self.okta_manual(),
            self.provisioning_on(),
            self.test(),
        ]
        if facts.rejection_offered:
            sections.append(self.rejection())
        sections.append(self.warnings())
        return sections

    def apply(self) -> Section:
        p = Prose.of("apply")
        grafana = p.grafana_server_admin() if self.facts.needs_server_admin else p.grafana_token()
        extra = p.cloud_token() if self.facts.via_cloud_api else ""
        return Section(
            p.title(),
            paragraphs=(p.state(),),
            steps=(
                Step(p.credentials(grafana, extra)),
                Step(p.create(), code=p.create_code(), code_lang="sh"),
            ),
        )

    def feature_toggle(self) -> Section:
        p = Prose.of("feature_toggle")
        return Section(
            p.title(),
            paragraphs=(p.intro(),),
            steps=(
                Step(p.ini(), code=p.ini_code(), code_lang="ini"),
                Step(p.env(), code=p.env_code(), code_lang="sh"),
            ),
        )

    def scim_settings(self) -> Section:
        p, facts = Prose.of("scim_settings"), self.facts
        settings = [
            ("user_sync_enabled", facts.scim_user_sync),
            ("group_sync_enabled", facts.scim_group_sync),
            ("reject_non_provisioned_users", False),
        ]
        values = tuple((key, str(value).lower()) for key, value in settings)
        paragraphs = []
        if facts.rejection_offered:
            paragraphs.append(p.rejection_later())
        if facts.scim_group_sync:
            paragraphs.append(p.group_sync())
        if facts.scim_config_managed:
            paragraphs.append(p.managed())
            steps = [Step(p.equivalent(), code=p.ini_code(values), code_lang="ini")]
        else:
            reasons = " or ".join(
                f"{b.reason} ({b.label}{code(b.value)})" for b in facts.scim_config_blockers
            )
            paragraphs.append(p.unmanaged(reasons))
            steps = [
                Step(p.ini(), code=p.ini_code(values), code_lang="ini"),
                Step(p.env(), code=p.env_code(values), code_lang="sh"),
            ]
        return Section(p.title(), paragraphs=tuple(paragraphs), steps=tuple(steps))

    def permissions(self) -> Section:
        p, facts = Prose.of("permissions"), self.facts
        granted = [f"basic role `{facts.service_account_role}`"] + [f"`{r}`" for r in facts.fixed_roles]
        needed = " and ".join(f"`{role}`" for role in facts.required_roles)
        holds = "holds both" if len(facts.required_roles) > 1 else "holds it"
        paragraphs = [
            p.created(
                md(facts.service_account_name), code(facts.service_account_address), ", ".join(granted)
            ),
            p.needed(needed, holds),
        ]
        if not facts.role_sufficient:
            paragraphs.append(p.insufficient(facts.service_account_role))
        return Section(p.title(), paragraphs=tuple(paragraphs))

    def role_attribute(self, attribute: str) -> Section:
        p = Prose.of("role_attribute")
        return Section(
            p.title(),
            paragraphs=(p.intro(code(attribute)),),
            steps=(
                Step(p.create(code(attribute))),
                Step(p.set(code(attribute))),
            ),
        )

    def _integration_tab(self, p: Prose, with_connection: bool) -> Step:
        boxes = "; ".join(
            f"[{'x' if action.enabled else ' '}] {action.label}" for action in self.facts.supported_actions
        )
        substeps = [p.base_url(code(self.facts.scim_base_url))] if with_connection else []
        substeps += [p.unique_id(code("userName")), p.actions(boxes)]
        if with_connection:
            substeps += [p.auth_mode(), p.bearer(code(TOKEN_COMMAND)), p.test_connector()]
        else:
            substeps.append(p.save_and_test())
        return Step(p.integration_tab(), substeps=tuple(substeps))

    def _to_app(self, p: Prose) -> tuple[str, ...]:
        return tuple(p.toggle(toggle.label, on_off(toggle.enabled)) for toggle in self.facts.to_app)

    def _assignments(self, p: Prose) -> Step:
        groups = self.facts.assigned_groups
        if not groups:
            return Step(p.assigned_nobody())
        return Step(p.assigned(", ".join(code(g) for g in groups)))

    def okta_manual(self) -> Section:
        p, facts = Prose.of("okta"), self.facts
        return Section(
            p.manual_title(),
            paragraphs=(p.manual_intro(code(facts.okta_org_url + "/admin"), md(facts.okta_app_label)),),
            steps=(
                Step(p.manual_general()),
                self._integration_tab(p, with_connection=True),
                Step(p.to_app_edit(), substeps=self._to_app(p)),
                self._assignments(p),
            ),
        )

    def okta_api(self) -> Section:
        p = Prose.of("okta")
        return Section(
            p.api_title(),
            paragraphs=(p.api_intro(), p.api_by_hand(md(self.facts.okta_app_label))),
            steps=(
                Step(p.api_general()),
                self._integration_tab(p, with_connection=False),
                Step(p.to_app_check(), substeps=self._to_app(p)),
                self._assignments(p),
            ),
        )

    def provisioning_on(self) -> Section:
        p, facts = Prose.of("provisioning_on"), self.facts
        paragraphs = [p.intro_api() if facts.okta_api_mode else p.intro()]
        if facts.push_groups:
            paragraphs.append(p.push(", ".join(code(g) for g in facts.push_groups)))
            paragraphs.append(
                p.removal_deletes_team() if facts.delete_pushed_teams else p.removal_keeps_team()
            )
        return Section(
            p.title(),
            paragraphs=tuple(paragraphs),
            steps=(
                Step(p.apply(), code=p.apply_code(), code_lang="sh"),
                Step(p.keep()),
            ),
        )

    def rejection(self) -> Section:
        p = Prose.of("rejection")
        if self.facts.rejection_phased:
            steps = [Step(p.apply(), code=p.apply_code(), code_lang="sh"), Step(p.keep())]
        else:
            steps = [Step(p.ini(), code=p.ini_code(), code_lang="ini")]
        return Section(p.title(), paragraphs=(p.intro(),), steps=tuple(steps))

    def test(self) -> Section:
        p, facts = Prose.of("test"), self.facts
        return Section(
            p.title(),
            paragraphs=(p.intro(code(facts.spec_name)),),
            steps=(
                Step(p.test_user()),
                Step(p.verify(), code=p.verify_code(facts.spec_name, facts.integration_name), code_lang="sh"),
            ),
        )

    def warnings(self) -> Section:
        p, facts = Prose.of("warnings"), self.facts
        notes = [p.reapply()]
        policy = facts.authentication_policy
        notes.append(p.policy_default() if policy is None else p.policy_set(code(policy)))
        if facts.skip_org_role_sync:
            notes.append(p.org_sync_off())
        else:
            mapping = facts.org_mapping
            notes.append(
                p.org_sync_on("" if mapping is None else " and org_mapping " + code(", ".join(mapping)))
            )
        if facts.push_group_address is not None:
            notes.append(p.push_error(md(facts.okta_app_label), facts.push_group_address))
        if facts.token_rotation is not None:
            lifetime, window = (_duration(seconds) for seconds in facts.token_rotation)
            notes.append(
                p.rotation_api(lifetime, window)
                if facts.okta_api_mode
                else p.rotation_manual(window, lifetime, code(TOKEN_COMMAND))
            )
        elif facts.token_seconds_to_live:
            notes.append(p.expiry(_duration(facts.token_seconds_to_live), facts.token_address))
        if facts.adopted_service_account_id is not None:
            notes.append(
                p.adopted_token(
                    code(facts.service_account_name),
                    code(facts.token_name),
                    code(TOKEN_COMMAND),
                    facts.okta_api_mode,
                )
            )
        claim = facts.user_id_claim
        if claim is not None:
            notes.append(p.claim(code(claim.name), code(" ".join(claim.values))))
        return Section(p.title(), paragraphs=tuple(notes))


def _duration(seconds: int) -> str:
    if seconds % 86400 == 0:
        return f"{seconds // 86400} days"
    if seconds % 3600 == 0:
        return f"{seconds // 3600} hours"
    return f"{seconds} seconds"


def render_runbook(plan: IntegrationPlan) -> str:
    """SCIM_SETUP.md for one integration (Markdown, first line the generated-file header)."""
    facts = plan.facts
    book = _Runbook(facts)
    text = render_file(
        TEMPLATE,
        header=plan.document.header,
        title=md(facts.integration_name),
        grafana=f"{code(facts.grafana_url)} ({facts.grafana_kind})",
        mode=facts.provisioning_mode,
        values=book.values(),
        sections=[_section_text(section) for section in book.sections()],
    )
    return _BLANK_RUNS.sub("\n\n", text).rstrip("\n") + "\n"
