"""discover's run: read a hand-made setup (GET only), write a spec, report differences.

The typer command is `cli.discover`.

Exit 0: spec written; 2: bad input (flags, not found, ambiguous, not SAML 2.0); 1: an API or
credential failure. Nothing is written unless the exit code is 0; the spec is written atomically.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from ..errors import ProblemsError
from ..exit_codes import EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK

OKTA_TOKEN_ENV = "OKTA_API_TOKEN"
GRAFANA_AUTH_ENV = "GRAFANA_AUTH"


@dataclass
class DiscoverOptions:
    """What the command line passes."""

    okta_app: str
    okta_org: str
    grafana: str
    out: Path
    okta_base_url: str = "okta.com"
    kind: str | None = None
    stack_slug: str | None = None
    stack_id: int | None = None
    org_id: int | None = None
    name: str | None = None
    service_account: str = "okta-scim"
    force: bool = False
    append: bool = False
    grafana_url: str | None = None
    okta_url: str | None = None
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    http: Any = None
    sleep: Any = None


@dataclass
class DiscoverResult:
    """The outcome: exit code, problems (exit 2/1), the report data, the spec text."""

    code: int
    problems: list[str] = field(default_factory=list)
    report: dict[str, Any] = field(default_factory=dict)
    spec_text: str = ""


class Problems(ProblemsError):
    """Problems that end the command with `code` (2 bad input, 1 an API or credential failure)."""

    def __init__(self, code: int, problems: list[str]) -> None:
        super().__init__(problems)
        self.code = code


def _target(options: DiscoverOptions) -> dict[str, Any]:
    """The spec's `grafana` block from the flags (Problems(2) naming the flag)."""
    problems: list[str] = []
    url = options.grafana.rstrip("/")
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise Problems(
            EXIT_BAD_INPUT, [f"--grafana: got {options.grafana!r}; expected the instance's https URL"]
        )
    host = parts.hostname
    cloud = host.endswith(".grafana.net")
    kind = options.kind or ("cloud" if cloud else "enterprise")
    if cloud and kind != "cloud":
        problems.append(f"--kind: got {kind!r}; expected cloud for a *.grafana.net URL")
    grafana: dict[str, Any] = {"kind": kind, "url": url}
    if kind == "cloud":
        slug = options.stack_slug or (host.split(".")[0] if cloud else None)
        if slug is None:
            problems.append("--stack-slug: missing; expected the stack slug on kind cloud")
        if options.stack_id is None:
            problems.append(
                "--stack-id: missing; expected the numeric stack id (no API this tool reads answers it)"
            )
        if options.org_id is not None:
            problems.append("--org-id: set; expected no org id on kind cloud")
        grafana.update(stack_slug=slug, stack_id=options.stack_id)
    else:
        for flag, value in (("--stack-slug", options.stack_slug), ("--stack-id", options.stack_id)):
            if value is not None:
                problems.append(f"{flag}: set; expected it only with --kind cloud")
        if options.org_id not in (None, 1):
            grafana["org_id"] = options.org_id
    if problems:
        raise Problems(EXIT_BAD_INPUT, problems)
    return grafana


def _default_name(grafana: dict[str, Any]) -> str:
    label = (grafana.get("stack_slug") or urlsplit(grafana["url"]).hostname or "grafana").split(".")[0]
    name = re.sub(r"[^a-z0-9_-]", "-", label.lower()).strip("-")
    return name if re.match(r"^[a-z]", name or "") else f"grafana-{name}".rstrip("-")


def run(options: DiscoverOptions) -> DiscoverResult:
    """Read, compose, validate, compare and (exit 0 only) write the spec."""
    try:
        return _run(options)
    except Problems as exc:
        return DiscoverResult(exc.code, exc.problems)


def _checks(options: DiscoverOptions) -> tuple[str, str, str | None]:
    problems = []
    okta_token = options.environ.get(OKTA_TOKEN_ENV) or ""
    grafana_auth = options.environ.get(GRAFANA_AUTH_ENV) or ""
    if not okta_token:
        problems.append(f"{OKTA_TOKEN_ENV}: not set; expected an Okta API token (read-only use)")
    if not grafana_auth:
        problems.append(f"{GRAFANA_AUTH_ENV}: not set; expected a Grafana admin credential")
    if options.force and options.append:
        problems.append("--force/--append: got both; expected at most one")
    if options.out.exists() and not (options.force or options.append):
        problems.append(
            f"-o: got an existing file {options.out}; expected a new path (or --force, or --append)"
        )
    if options.append and not options.out.is_file():
        problems.append(f"--append: got {options.out}, which is not a file; expected an existing spec")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]*", options.okta_org):
        problems.append(
            f"--okta-org: got {options.okta_org!r}; expected the org name (example in example.okta.com)"
        )
    if problems:
        raise Problems(EXIT_BAD_INPUT, problems)
    return okta_token, grafana_auth, None


def _urls(options: DiscoverOptions, grafana: dict[str, Any]) -> tuple[str, str]:
    from ..verify.target import UsageError, _checked

    try:
        grafana_api = (
            grafana["url"] if options.grafana_url is None else _checked("--grafana-url", options.grafana_url)
        )
        okta_api = (
            f"https://{options.okta_org}.{options.okta_base_url}"
            if options.okta_url is None
            else _checked("--okta-url", options.okta_url)
        )
    except UsageError as exc:
        raise Problems(EXIT_BAD_INPUT, [str(exc)]) from None
    return grafana_api, okta_api


def _run(options: DiscoverOptions) -> DiscoverResult:
    from ..loader import SpecError, parse_spec
    from ..spec import Grafana, Integration
    from ..synth import build, derive
    from ..verify.http import HttpSettings
    from ..verify.redact import Redactor
    from .compare import compare, import_updates
    from .compose import NOT_DISCOVERABLE, Where, compose
    from .live import ApiFailure, BadInput, Reader, authorization, read_grafana, read_okta

    okta_token, grafana_auth, _ = _checks(options)
    grafana_block = _target(options)
    try:
        grafana_model = Grafana.model_validate(grafana_block)
    except ValueError as exc:
        raise Problems(EXIT_BAD_INPUT, [f"--grafana: {line}" for line in _lines(exc)]) from None
    name = options.name or _default_name(grafana_block)
    probe = (
        Integration.model_validate({"name": name, "grafana": grafana_model.model_dump(exclude_none=True)})
        if re.fullmatch(r"^[a-z][a-z0-9_-]*$", name)
        else None
    )
    if probe is None:
        raise Problems(
            EXIT_BAD_INPUT,
            [f"--name: got {name!r}; expected lower-case letters, digits, - and _ starting with a letter"],
        )
    existing = _existing(options, name)
    grafana_api, okta_api = _urls(options, grafana_block)
    namespace = derive.scim_namespace(probe)
    redact = Redactor([okta_token, grafana_auth])
    settings = options.http or HttpSettings()
    headers = {"X-Grafana-Org-Id": str(options.org_id)} if options.org_id else None
    okta = Reader(okta_api, f"SSWS {okta_token}", settings, redact, "Okta", sleep=options.sleep)
    grafana = Reader(
        grafana_api,
        authorization(grafana_auth),
        settings,
        redact,
        "Grafana",
        headers=headers,
        sleep=options.sleep,
    )
    try:
        okta_state = read_okta(okta, options.okta_app)
        grafana_state = read_grafana(grafana, namespace, options.service_account)
    except BadInput as exc:
        raise Problems(EXIT_BAD_INPUT, exc.problems) from None
    except ApiFailure as exc:
        raise Problems(EXIT_FAILURE, [str(exc)]) from None
    finally:
        okta.close()
        grafana.close()
    where = Where(name, grafana_block, options.service_account, namespace, derive.scim_config_managed(probe))
    composed = compose(where, okta_state, grafana_state)
    okta_block = {"org_name": options.okta_org, "base_url": options.okta_base_url}
    data = {"version": 1, "okta": okta_block, "integrations": [composed.data]}
    if existing is not None:
        theirs = existing.get("okta") or {}
        if {"base_url": "okta.com", **theirs} != okta_block:
            raise Problems(
                EXIT_BAD_INPUT,
                [
                    f"--okta-org: got {options.okta_org}.{options.okta_base_url}; expected the Okta org "
                    f"of {options.out} ({theirs.get('org_name')}.{theirs.get('base_url', 'okta.com')}) "
                    "with --append"
                ],
            )
        data = {**existing, "integrations": [*existing["integrations"], composed.data]}
    try:
        spec = parse_spec(data, options.out.name)
    except SpecError as exc:
        raise Problems(
            EXIT_BAD_INPUT, [f"the discovered setup breaks a spec rule: {p}" for p in exc.problems]
        ) from None
    doc = build(spec, options.out.name)[name]
    differences = compare(doc, spec.integration(name), okta_state, grafana_state, composed.phase)
    text = _spec_text(options, composed, data, existing is not None, NOT_DISCOVERABLE)
    report: dict[str, Any] = {
        "integration": name,
        "spec": str(options.out),
        "okta_app_id": okta_state.app_id,
        "phase": composed.phase,
        "plan": _plan_hint(composed.phase),
        "differences": [{**asdict(d), "terraform": d.expected} for d in differences],
        "import_updates": [{**asdict(u), "terraform": u.expected} for u in import_updates(doc)],
        "findings": [asdict(f) for f in composed.findings],
        "not_discoverable": list(NOT_DISCOVERABLE),
        "sources": composed.sources,
    }
    for entry in [*report["differences"], *report["import_updates"]]:
        entry.pop("expected")
    _write(options.out, text)
    return DiscoverResult(EXIT_OK, [], report, text)


def _plan_hint(phase: int) -> str:
    flags = {
        1: "",
        2: " -var provisioning_enabled=true",
        3: " -var provisioning_enabled=true -var reject_non_provisioned_users=true",
    }[phase]
    return f"terraform plan{flags}"


def _lines(exc: ValueError) -> list[str]:
    from pydantic import ValidationError

    from ..loader import validation_problems

    if isinstance(exc, ValidationError):
        return validation_problems(exc)
    return str(exc).splitlines()


def _existing(options: DiscoverOptions, name: str) -> dict[str, Any] | None:
    if not options.append:
        return None
    from ..loader import SpecError, load_spec

    try:
        spec = load_spec(options.out)
    except SpecError as exc:
        raise Problems(EXIT_BAD_INPUT, [f"--append: {p}" for p in exc.problems]) from None
    if any(i.name == name for i in spec.integrations):
        raise Problems(
            EXIT_BAD_INPUT, [f"--name: got {name!r}; expected a name not already in {options.out}"]
        )
    data = yaml.safe_load(options.out.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else None


def _comment_block(composed: Any, not_discoverable: tuple[str, ...], indent: str) -> str:
    lines = [
        f"Discovered by grafana-okta-scim discover (GET requests only). Phase {composed.phase}: "
        f"{_plan_hint(composed.phase)}.",
        "Where the values came from:",
    ]
    lines += [f"  {source}" for source in composed.sources]
    lines += ["Not discoverable (spec defaults):"] + [f"  {item}" for item in not_discoverable]
    lines += [f"Not read: {f.text}" for f in composed.findings if f.kind == "not read"]
    return "".join(f"{indent}# {line}\n" for line in lines)


def _spec_text(
    options: DiscoverOptions,
    composed: Any,
    data: dict[str, Any],
    append: bool,
    not_discoverable: tuple[str, ...],
) -> str:
    item = yaml.safe_dump([composed.data], sort_keys=False, default_flow_style=False, width=100)
    if not append:
        head = yaml.safe_dump({"version": 1, "okta": data["okta"]}, sort_keys=False, default_flow_style=None)
        return head + "integrations:\n" + _comment_block(composed, not_discoverable, "") + item
    old = options.out.read_text(encoding="utf-8")
    indent = _list_indent(old)
    block = _comment_block(composed, not_discoverable, indent) + "".join(
        (indent + line if line else line) + "\n" for line in item.splitlines()
    )
    text = old if old.endswith("\n") else old + "\n"
    text += block
    if yaml.safe_load(text) != data:
        raise Problems(
            EXIT_BAD_INPUT,
            [
                f"--append: {options.out} cannot be extended in place; "
                "expected `integrations:` as its last key, in block style"
            ],
        )
    return text


def _list_indent(text: str) -> str:
    match = re.search(r"^integrations:\s*\n(?:\s*#.*\n)*( *)- ", text, re.M)
    return match.group(1) if match else ""


def _write(path: Path, text: str) -> None:
    """Atomically: a temporary file beside the target, renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
