"""The scenario runner: one generated integration folder applied with real Terraform to the twin.

A `Scenario` owns a twin (Okta org + Grafana instances, seeded with people), serves its loopback
views, and one Terraform workspace whose replay providers are bound to it (`TWIN_ENDPOINTS`).
Each `apply` writes the twin's time for the plugins, applies, lets Okta's SCIM client deliver
(`twin.settle()`) and re-plans: the re-plan must show no change. The admin's manual steps of
SCIM_SETUP.md are methods (`switch_on_provisioning`). What people see is read from the twin
(`active_users`, `teams`, `sign_in`); the tests state the expected outcome by hand.

Folders come from the current generator (`current`) or from the frozen regression output
(`frozen`, tests/twin/regressions/, never regenerated).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.terraform.harness.runner import ApplyResult, PlanResult, Terraform, Workspace
from tests.twin import Twin, serve

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
REGRESSIONS = Path(__file__).resolve().parent / "regressions"

# Credentials the providers send (the twin accepts any non-empty one); never real secrets.
OKTA_TOKEN = "twin-okta-api-token"
GRAFANA_AUTH = "admin:twin-admin-password"
CLOUD_TOKEN = "twin-cloud-access-policy-token"


# -- folders ------------------------------------------------------------------------------------


def spec_data(example: str) -> dict[str, Any]:
    """An example's (or a regression spec's) YAML as data, to edit before `build_files`."""
    path = EXAMPLES / f"{example}.yaml"
    if not path.exists():
        path = REGRESSIONS / f"{example}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def build_files(data: dict[str, Any], integration: str, source: str = "spec.yaml") -> dict[str, str]:
    """The current generator's HCL files of one integration of a spec given as data."""
    from grafana_okta_scim import build
    from grafana_okta_scim.loader import parse_spec
    from grafana_okta_scim.writer import render_files

    spec = parse_spec(data, source)
    return render_files(build(spec, source)[integration], "hcl")


def current(
    example: str, integration: str, edit: Callable[[dict[str, Any]], None] | None = None
) -> dict[str, str]:
    """Today's output for one integration of an example, its YAML entry edited first if asked."""
    data = spec_data(example)
    if edit is not None:
        (entry,) = [i for i in data["integrations"] if i["name"] == integration]
        edit(entry)
    return build_files(data, integration, f"{example}.yaml")


def current_after(
    previous: dict[str, str], data: dict[str, Any], integration: str, source: str
) -> dict[str, str]:
    """The current generator's output for `data` when the target folder already holds
    `previous` (synth reads what was there to emit a migration)."""
    import tempfile

    from grafana_okta_scim import build
    from grafana_okta_scim.loader import parse_spec
    from grafana_okta_scim.previous_output import read_previous
    from grafana_okta_scim.writer import render_files

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / integration
        target.mkdir()
        for name, text in previous.items():
            (target / name).write_text(text, encoding="utf-8")
        found = read_previous(target, integration)
        spec = parse_spec(data, source)
        docs = build(spec, source, {integration: found} if found is not None else None)
    return render_files(docs[integration], "hcl")


def frozen(example: str, integration: str) -> dict[str, str]:
    """The output generated before issue 16's fixes (tests/twin/regressions/<example>/<name>)."""
    folder = REGRESSIONS / example / integration
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()) if p.is_file()}


def declared_variables(files: dict[str, str]) -> set[str]:
    """Names of the module's variables."""
    return {m for text in files.values() for m in re.findall(r'^variable "([a-z_0-9]+)"', text, re.M)}


# -- people ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """Someone in the Okta org: login `<first>@example.com`, member of `groups`."""

    first: str
    last: str
    groups: tuple[str, ...] = ()

    @property
    def login(self) -> str:
        return f"{self.first.lower()}@example.com"


@dataclass
class Grafana:
    """A Grafana instance the twin runs (as the spec's `grafana` block describes it)."""

    url: str
    kind: str = "cloud"
    stack_id: int | None = None
    stack_slug: str | None = None
    orgs: int = 1  # self-hosted: orgs 1..N exist (an admin made them before)


# -- the scenario ------------------------------------------------------------------------------


@dataclass
class Step:
    """What one apply did: Terraform's result and the re-plan after it."""

    name: str
    applied: ApplyResult
    replan: PlanResult | None = None


@dataclass(repr=False)
class Scenario:
    """One twin, its served views and one Terraform workspace bound to them."""

    terraform: Terraform
    grafanas: list[Grafana]
    people: list[Person]
    groups: dict[str, str] = field(default_factory=dict)  # extra groups: name -> type
    twin: Twin = field(init=False)
    users: dict[str, str] = field(init=False, default_factory=dict)  # login -> Okta user id
    group_ids: dict[str, str] = field(init=False, default_factory=dict)
    steps: list[Step] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.twin = Twin(okta_org="example", okta_base_url="okta.com")
        for grafana in self.grafanas:
            extra: dict[str, Any] = {}
            if grafana.kind == "cloud":
                extra = {"stack_id": grafana.stack_id, "stack_slug": grafana.stack_slug}
            instance = self.twin.add_grafana(grafana.url, kind=grafana.kind, **extra)
            instance.ensure_org(grafana.orgs)
        names = dict(self.groups)
        for person in self.people:
            for group in person.groups:
                names.setdefault(group, "OKTA_GROUP")
        for name, kind in names.items():
            self.group_ids[name] = self.twin.okta.add_group(name, type=kind)
        for person in self.people:
            user = self.twin.okta.add_user(login=person.login, first_name=person.first, last_name=person.last)
            self.users[person.login] = user
            for group in person.groups:
                self.twin.okta.add_member(self.group_ids[group], user)
        self._stack = ExitStack()
        self.workspace: Workspace | None = None
        self.files: dict[str, str] = {}

    # -- life --------------------------------------------------------------------------------------
    def __enter__(self) -> Scenario:
        endpoints = self._stack.enter_context(serve(self.twin))
        self.clock_file = Path(self.terraform.scratch) / f"clock-{id(self)}.txt"
        document = json.loads(endpoints.environment()["TWIN_ENDPOINTS"])
        document["clock_file"] = str(self.clock_file)
        self.env = {"TWIN_ENDPOINTS": json.dumps(document)}
        self.workspace = self._stack.enter_context(self.terraform.workspace(env=self.env))
        return self

    def adopt_in_new_workspace(self, files: dict[str, str]) -> Scenario:
        """Another operator's empty state against the same twin (e.g. discover's output, whose
        import blocks adopt what exists); the old workspace is dropped with its state."""
        self.ws.close()
        self.workspace = self._stack.enter_context(self.terraform.workspace(env=self.env))
        self.steps = []
        return self.write(files)

    def __exit__(self, *_exc: object) -> None:
        self._stack.close()
        self.clock_file.unlink(missing_ok=True)

    @property
    def ws(self) -> Workspace:
        assert self.workspace is not None, "use the scenario in a with block"
        return self.workspace

    def write(self, files: dict[str, str]) -> Scenario:
        """Replace the configuration (an edited spec's output, or another folder); state kept."""
        self.files = files
        self.ws.write({n: t for n, t in files.items() if n.endswith((".tf", ".tf.json"))})
        return self

    @property
    def runbook(self) -> str:
        """The folder's SCIM_SETUP.md (what the admin reads)."""
        return self.files.get("SCIM_SETUP.md", "")

    def variables(self, phase: int, **more: Any) -> dict[str, Any]:
        """-var flags: credentials and the phase variables the module declares."""
        declared = declared_variables(self.files)
        found: dict[str, Any] = {}
        for name, value in (
            ("okta_api_token", OKTA_TOKEN),
            ("grafana_auth", GRAFANA_AUTH),
            ("grafana_cloud_access_policy_token", CLOUD_TOKEN),
            ("provisioning_enabled", phase >= 2),
            ("reject_non_provisioned_users", phase == 3),
        ):
            if name in declared:
                found[name] = value
        found.update(more)
        return found

    def _tick(self) -> None:
        self.clock_file.write_text(self.twin.clock.now().isoformat(), encoding="utf-8")

    # -- Terraform -------------------------------------------------------------------------------
    def try_apply(self, phase: int, **more: Any) -> ApplyResult:
        """`terraform apply` of a phase (no assertion), then Okta's SCIM client settles."""
        self._tick()
        applied = self.ws.apply(self.variables(phase, **more))
        self.twin.settle()
        return applied

    def apply(self, phase: int, name: str = "", **more: Any) -> Step:
        """Apply a phase, settle, and re-plan; both must succeed and the re-plan be empty."""
        label = name or f"phase {phase}"
        applied = self.try_apply(phase, **more)
        assert applied.ok, f"{label}: apply failed:\n{applied.describe()}"
        replan = self.plan(phase, **more)
        assert replan.ok, f"{label}: re-plan failed:\n{replan.describe()}"
        assert replan.changes is False, f"{label}: the re-plan shows changes: {changed(replan)}"
        step = Step(label, applied, replan)
        self.steps.append(step)
        return step

    def plan(self, phase: int, **more: Any) -> PlanResult:
        """`terraform plan` (refreshing from the twin)."""
        self._tick()
        return self.ws.plan(self.variables(phase, **more))

    def output(self, name: str) -> Any:
        """A root output of the last apply (`terraform output`)."""
        for step in reversed(self.steps):
            if name in step.applied.outputs:
                return step.applied.outputs[name]
        state, _ = self.ws.show()
        return state.get("values", {}).get("outputs", {})[name]["value"]

    def okta_requests(self, method: str | None = None) -> list[tuple[str, str]]:
        """Every (method, path?query) the twin's Okta view answered so far."""
        found = list(self.twin.okta_view.faults.requests)
        return [r for r in found if method is None or r[0] == method]

    def state(self) -> dict[str, dict[str, Any]]:
        """Every resource instance in Terraform's state -> values."""
        shown, _ = self.ws.show()
        root = shown.get("values", {}).get("root_module", {})
        return {r["address"]: r["values"] for r in root.get("resources", [])}

    # -- the admin's manual steps (SCIM_SETUP.md) ---------------------------------------------------
    def switch_on_provisioning(self, app_output: str = "okta_app_id") -> None:
        """General tab: SCIM provisioning on; Integration tab: base URL and the bearer token from
        `terraform output`; To App: create, update, deactivate users; then Okta provisions."""
        app_id = self.output(app_output)
        self.twin.okta.enable_provisioning(
            app_id, base_url=self.output("scim_base_url"), token=self.output("grafana_scim_token")
        )
        self.twin.okta.set_to_app(app_id, create=True, update=True, deactivate=True)
        self.twin.settle()

    def set_grafana_ini_scim(self, namespace: str, user_sync: bool = True, group_sync: bool = True) -> None:
        """SCIM_SETUP.md's grafana.ini step, where Terraform cannot write the SCIM config:
        `[auth.scim] user_sync_enabled / group_sync_enabled` (the twin keeps it per namespace)."""
        self.grafana().scim_config[namespace] = {
            "enableUserSync": user_sync,
            "enableGroupSync": group_sync,
            "rejectNonProvisionedUsers": False,
        }

    def discover(self, integration: str, okta_app: str, service_account: str = "okta-scim") -> dict[str, Any]:
        """`grafana-okta-scim discover` against the twin's views: the spec it writes, as data."""
        from grafana_okta_scim.discover.runner import DiscoverOptions, run
        from grafana_okta_scim.verify.http import HttpSettings, RetryPolicy

        grafana = self.grafanas[0]
        endpoints = self.twin.endpoints
        assert endpoints is not None
        out = Path(self.terraform.scratch) / f"discovered-{id(self)}.yaml"
        result = run(
            DiscoverOptions(
                okta_app=okta_app,
                okta_org="example",
                grafana=grafana.url,
                stack_id=grafana.stack_id,
                stack_slug=grafana.stack_slug,
                kind=grafana.kind,
                name=integration,
                service_account=service_account,
                out=out,
                grafana_url=endpoints.grafana_urls[grafana.url],
                okta_url=endpoints.okta_url,
                http=HttpSettings(timeout=5.0, retry=RetryPolicy(attempts=2, backoff=0.01, max_wait=0.1)),
                sleep=lambda _s: None,
                environ={"OKTA_API_TOKEN": OKTA_TOKEN, "GRAFANA_AUTH": GRAFANA_AUTH},
            )
        )
        assert result.code == 0, result.problems
        try:
            return dict(yaml.safe_load(out.read_text(encoding="utf-8")))
        finally:
            out.unlink(missing_ok=True)

    # -- what people see ------------------------------------------------------------------------
    def grafana(self, url: str | None = None) -> Any:
        return self.twin.grafana_at(url or self.grafanas[0].url)

    def active(self, url: str | None = None, org_id: int | None = None) -> set[str]:
        """Logins of the users active in a Grafana (any provenance)."""
        return set(self.grafana(url).active_users(org_id))

    def teams(self, url: str | None = None, org_id: int = 1) -> dict[str, list[str]]:
        """Team name -> sorted member logins."""
        return dict(self.grafana(url).team_members(org_id))

    def sign_ins(self, url: str | None = None) -> dict[str, Any]:
        """login -> {org_id: role} for who can sign in, or "refused" (reasons in `refusals`)."""
        found: dict[str, Any] = {}
        self.refusals: dict[str, str] = {}
        for person in self.people:
            result = self.twin.sign_in(person.login, url or self.grafanas[0].url)
            found[person.login] = dict(result.roles) if result.ok else "refused"
            if not result.ok:
                self.refusals[person.login] = result.reason
        return found


def changed(plan: PlanResult) -> list[str]:
    """`address: actions` of every change in a plan (for assertion messages)."""
    lines = []
    for address, change in plan.resource_changes.items():
        actions = change["change"]["actions"]
        if actions != ["no-op"]:
            before, after = change["change"].get("before") or {}, change["change"].get("after") or {}
            keys = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
            lines.append(f"{address}: {'/'.join(actions)} {keys}")
    for name, change in plan.plan.get("output_changes", {}).items():
        if change["actions"] != ["no-op"]:
            lines.append(f"output.{name}: {'/'.join(change['actions'])}")
    return lines


def each(items: dict[str, Callable[[], Any]]) -> Iterator[tuple[str, Any]]:
    """Results of independent scenario chains, run two at a time (2 CPUs), in key order."""
    from tests.terraform.harness.runner import run_parallel

    results = run_parallel(items)
    yield from sorted(results.items())
