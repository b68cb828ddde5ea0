"""Run the real `terraform` binary against the replay providers and parse what it says.

`Terraform.validate` / `plan` work on throw-away copies; `Terraform.workspace()` gives a
`Workspace`, a folder that lives for one test, where configurations are applied, planned and
applied again with Terraform's local state kept between runs, optionally with a fixture
(`fixtures`) telling the providers what the remote side looks like.

Terraform starts a provider plugin several times per command (about four per provider for an
apply), which with Python plugins costs ~0.2 s of CPU each. So a workspace by default starts
its two plugins once, as long-lived servers, and hands them to every Terraform run through
TF_REATTACH_PROVIDERS (go-plugin's reattach in test mode: Terraform connects to the socket and
never stops them); `workspace(..., reattach=False)` lets Terraform launch them through the
dev_overrides launchers instead, like `validate` / `plan` do.

`workspace(..., env=twin_environment)` binds a workspace to the twin: with `TWIN_ENDPOINTS` in
the plugins' environment they apply, read, import and destroy through the twin's loopback APIs
(`bound`, `okta_models`, `grafana_models`) instead of replaying the schema.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import fixtures, launcher, workdir
from .launcher import PluginSetup
from .plugin import APP_PROTOCOL_VERSION, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE

COMMON_FLAGS = ("-input=false", "-no-color")
PLAN_FLAGS = ("-lock=false", "-refresh=false", "-json")
TIMEOUT_SECONDS = 180
PLUGIN_START_SECONDS = 60
_DROPPED_ENV_PREFIXES = ("TF_", "GRAFANA_", "OKTA_", "PLUGIN_", "REPLAY_")


@dataclass(frozen=True)
class Diagnostic:
    """One Terraform diagnostic, from `validate -json` or a `plan -json` stream line."""

    severity: str
    summary: str
    detail: str = ""
    filename: str | None = None
    line: int | None = None
    address: str | None = None

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> Diagnostic:
        """From Terraform's JSON diagnostic object."""
        where = raw.get("range") or {}
        return cls(
            severity=raw.get("severity", ""),
            summary=raw.get("summary", ""),
            detail=raw.get("detail", ""),
            filename=where.get("filename"),
            line=(where.get("start") or {}).get("line"),
            address=raw.get("address"),
        )

    def __str__(self) -> str:
        where = f"{self.filename}:{self.line}: " if self.filename else ""
        return f"{self.severity}: {where}{self.summary}: {self.detail}".rstrip(": ")


@dataclass
class Result:
    """Outcome of one Terraform command family on one folder."""

    diagnostics: list[Diagnostic]
    seconds: float
    returncode: int
    stderr: str = ""

    @property
    def errors(self) -> list[Diagnostic]:
        """Error diagnostics only (the dev_overrides warning is always there)."""
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def ok(self) -> bool:
        """No error diagnostic and a zero exit status."""
        return self.returncode == 0 and not self.errors

    def describe(self) -> str:
        """All errors, one per line, for assertion messages."""
        lines = [str(d) for d in self.errors] or [f"exit {self.returncode}: {self.stderr}"]
        return "\n".join(lines)


@dataclass
class ValidateResult(Result):
    """`terraform validate -json`."""

    valid: bool = False


@dataclass
class PlanResult(Result):
    """`terraform plan -json -out` followed by `terraform show -json` of the plan."""

    plan: dict[str, Any] = field(default_factory=dict)
    changes: bool | None = None  # from -detailed-exitcode (workspace plans); None when not asked

    @property
    def no_op(self) -> bool:
        """Every resource change and output change in the plan JSON is a no-op."""
        changes = [c["change"] for c in self.plan.get("resource_changes", [])]
        changes += list(self.plan.get("output_changes", {}).values())
        return bool(self.plan) and all(c["actions"] == ["no-op"] for c in changes)

    def actions(self, address: str) -> list[str]:
        """The actions planned for one resource instance (["no-op"] when it is unchanged)."""
        return self.resource_changes[address]["change"]["actions"]

    @property
    def resource_changes(self) -> dict[str, dict[str, Any]]:
        """Managed resource changes by address."""
        return {
            change["address"]: change
            for change in self.plan.get("resource_changes", [])
            if change.get("mode") == "managed"
        }

    @property
    def planned_addresses(self) -> set[str]:
        """Addresses of every managed resource instance in the plan."""
        return set(self.resource_changes)

    @property
    def data_addresses(self) -> set[str]:
        """Addresses of the data source instances read while planning."""
        resources = self.plan.get("prior_state", {}).get("values", {}).get("root_module", {})
        return {r["address"] for r in resources.get("resources", []) if r["mode"] == "data"}

    def config_resource(self, address: str) -> dict[str, Any]:
        """The configuration entry (with `expressions`) of a resource in the root module."""
        for resource in self.plan["configuration"]["root_module"].get("resources", []):
            if resource["address"] == address:
                return resource
        raise KeyError(address)


@dataclass
class ApplyResult(Result):
    """`terraform apply -auto-approve -json` (or `destroy`) and then `terraform show -json`."""

    state: dict[str, Any] = field(default_factory=dict)

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        """Every resource instance in the state (data sources as `data.…`) -> its values."""
        root = self.state.get("values", {}).get("root_module", {})
        return {r["address"]: r["values"] for r in root.get("resources", [])}

    @property
    def outputs(self) -> dict[str, Any]:
        """Output name -> value (sensitive ones included, as `show -json` gives them)."""
        return {k: v["value"] for k, v in self.state.get("values", {}).get("outputs", {}).items()}

    def of_type(self, type_name: str) -> dict[str, dict[str, Any]]:
        """Managed instances of one resource type, by address."""
        return {
            address: found
            for address, found in self.resources.items()
            if address.split("[")[0].split(".")[0] == type_name
        }


def _var_flags(variables: dict[str, Any] | None) -> list[str]:
    """`-var name=value` flags; booleans and numbers spelled as HCL, anything else as JSON."""
    flags = []
    for name, value in (variables or {}).items():
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, str):
            text = value
        else:
            text = json.dumps(value)
        flags.append(f"-var={name}={text}")
    return flags


class ReattachedPlugins:
    """The replay plugins of one workspace as long-lived servers, and the TF_REATTACH_PROVIDERS
    value pointing Terraform at them. Each server exits on `stop()` or when this process does."""

    def __init__(self, setup: PluginSetup, env: dict[str, str], log: Path) -> None:
        self.processes: list[subprocess.Popen[str]] = []
        self.reattach: dict[str, Any] = {}
        plugin_env = dict(env, **launcher.plugin_environment(), **{MAGIC_COOKIE_KEY: MAGIC_COOKIE_VALUE})
        with log.open("a", encoding="utf-8") as log_file:
            for schema_file in setup.providers.values():
                self.processes.append(
                    subprocess.Popen(
                        launcher.plugin_command(schema_file, "--reattach"),
                        env=plugin_env,
                        stdin=subprocess.DEVNULL,
                        stdout=subprocess.PIPE,
                        stderr=log_file,
                        text=True,
                    )
                )
        try:
            for address, process in zip(setup.providers, self.processes, strict=True):
                self.reattach[address] = self._handshake(process, log)
        except BaseException:
            self.stop()
            raise

    @staticmethod
    def _handshake(process: subprocess.Popen[str], log: Path) -> dict[str, Any]:
        """Read `1|6|unix|<socket>|grpc|` and describe the server the way go-plugin wants."""
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], PLUGIN_START_SECONDS)
        line = process.stdout.readline().strip() if ready else ""
        parts = line.split("|")
        if len(parts) < 5 or parts[2] != "unix":
            log_text = log.read_text(encoding="utf-8", errors="replace")
            raise RuntimeError(f"replay plugin did not start: {line!r}\n{log_text}")
        return {
            "Protocol": "grpc",
            "ProtocolVersion": APP_PROTOCOL_VERSION,
            "Pid": process.pid,
            "Test": True,
            "Addr": {"Network": "unix", "String": parts[3]},
        }

    def stop(self) -> None:
        """SIGTERM (the server stops and removes its socket folder), then SIGKILL if need be."""
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()


class Workspace:
    """One test's working folder: configuration, fixture and Terraform's local state.

    `write(files)` replaces the configuration (state kept), `set_fixture(doc)` what the providers
    report, and `apply` / `plan` / `destroy` / `show` run Terraform there with `-var` flags.
    Removed by `close()` (or on leaving a `with` block), its plugin servers stopped.
    """

    def __init__(
        self, terraform: Terraform, root: Path, reattach: bool = True, env: dict[str, str] | None = None
    ) -> None:
        self.terraform = terraform
        self.root = root
        self.config = root / "config"
        self.config.mkdir()
        self.fixture_file = root / "fixture.json"
        self.env = dict(terraform.env, **{fixtures.ENV_VAR: str(self.fixture_file)}, **(env or {}))
        self.plugins: ReattachedPlugins | None = None
        if reattach:
            try:
                self.plugins = ReattachedPlugins(terraform.setup, self.env, root / "plugins.log")
            except BaseException:
                self.close()
                raise
            self.env["TF_REATTACH_PROVIDERS"] = json.dumps(self.plugins.reattach)

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the plugin servers and remove the folder, state included."""
        if self.plugins is not None:
            self.plugins.stop()
            self.plugins = None
        shutil.rmtree(self.root, ignore_errors=True)

    def write(self, files: dict[str, str]) -> Workspace:
        """Replace the configuration files (backends neutralised); the state stays."""
        workdir.replace_config(files, self.config)
        return self

    def set_fixture(self, fixture: dict[str, Any] | None) -> Workspace:
        """What the providers report from now on (None: no fixture, default answers)."""
        if fixture is None:
            self.fixture_file.unlink(missing_ok=True)
        else:
            self.fixture_file.write_text(json.dumps(fixture, indent=2), encoding="utf-8")
        return self

    def _run(self, args: list[str]) -> subprocess.CompletedProcess[str]:
        return self.terraform._run(args, self.config, self.env)

    def show(self) -> tuple[dict[str, Any], list[Diagnostic]]:
        """`terraform show -json` of the current state."""
        shown = self._run(["show", "-json", "-no-color"])
        if shown.returncode != 0:
            return {}, [Diagnostic("error", "terraform show failed", shown.stderr)]
        return json.loads(shown.stdout), []

    def apply(self, variables: dict[str, Any] | None = None, destroy: bool = False) -> ApplyResult:
        """`terraform apply -auto-approve` (refreshing first), then the state as `show -json`."""
        started = time.monotonic()
        args = ["apply", *COMMON_FLAGS, "-json", "-auto-approve", *_var_flags(variables)]
        if destroy:
            args.insert(1, "-destroy")
        done = self._run(args)
        diagnostics = _stream_diagnostics(done.stdout)
        state: dict[str, Any] = {}
        if done.returncode == 0:
            state, problems = self.show()
            diagnostics += problems
        return ApplyResult(
            diagnostics=diagnostics,
            seconds=time.monotonic() - started,
            returncode=done.returncode,
            stderr=done.stderr,
            state=state,
        )

    def destroy(self, variables: dict[str, Any] | None = None) -> ApplyResult:
        """`terraform apply -destroy -auto-approve`; the state afterwards."""
        return self.apply(variables, destroy=True)

    def plan(self, variables: dict[str, Any] | None = None, refresh: bool = True) -> PlanResult:
        """`terraform plan -detailed-exitcode -out` (refreshing unless told not to), then
        `show -json` of the saved plan; `changes` says whether Terraform saw any."""
        started = time.monotonic()
        args = ["plan", *COMMON_FLAGS, "-json", "-detailed-exitcode", "-out=tfplan", *_var_flags(variables)]
        if not refresh:
            args.append("-refresh=false")
        done = self._run(args)
        diagnostics = _stream_diagnostics(done.stdout)
        returncode = 0 if done.returncode == 2 else done.returncode
        plan: dict[str, Any] = {}
        if returncode == 0:
            shown = self._run(["show", "-json", "-no-color", "tfplan"])
            if shown.returncode == 0:
                plan = json.loads(shown.stdout)
            else:
                diagnostics.append(Diagnostic("error", "terraform show failed", shown.stderr))
        (self.config / "tfplan").unlink(missing_ok=True)
        return PlanResult(
            diagnostics=diagnostics,
            seconds=time.monotonic() - started,
            returncode=returncode,
            stderr=done.stderr,
            plan=plan,
            changes=done.returncode == 2 if returncode == 0 else None,
        )


class Terraform:
    """Runs validate / plan / show on scratch copies, with the replay providers only."""

    def __init__(self, setup: PluginSetup, scratch: Path, tmpdir: Path, binary: str = "terraform") -> None:
        self.setup = setup
        self.scratch = scratch
        self.tmpdir = tmpdir  # TMPDIR of Terraform and the plugins (their socket folders)
        self.binary = shutil.which(binary) or binary
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(_DROPPED_ENV_PREFIXES)}
        self.env.update(
            TF_CLI_CONFIG_FILE=str(setup.cli_config),
            TF_IN_AUTOMATION="1",
            CHECKPOINT_DISABLE="1",
            TMPDIR=str(tmpdir),
        )

    def workspace(
        self, files: dict[str, str] | None = None, reattach: bool = True, env: dict[str, str] | None = None
    ) -> Workspace:
        """A new persistent working folder (see `Workspace`), holding `files` if given;
        `reattach=False`: Terraform launches the plugins itself on every run; `env`: more
        environment for Terraform and the plugins (`TWIN_ENDPOINTS` binds them to the twin)."""
        root = Path(tempfile.mkdtemp(prefix="ws-", dir=self.scratch))
        workspace = Workspace(self, root, reattach, env)
        try:
            if files is not None:
                workspace.write(files)
        except BaseException:
            workspace.close()
            raise
        return workspace

    def _run(
        self, args: list[str], cwd: Path, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run terraform in its own process group; kill the whole group on timeout."""
        process = subprocess.Popen(
            [self.binary, *args],
            cwd=cwd,
            env=env or self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        try:
            stdout, stderr = process.communicate(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            stdout, stderr = process.communicate()
            stderr += f"\nterraform {args[0]} killed after {TIMEOUT_SECONDS}s"
        return subprocess.CompletedProcess(args, process.returncode, stdout, stderr)

    def _copy(self, folder: Path, variables: dict[str, Any] | None) -> Path:
        parent = Path(tempfile.mkdtemp(prefix="run-", dir=self.scratch))
        return workdir.prepare(folder, parent / "config", variables)

    def validate(self, folder: Path) -> ValidateResult:
        """`terraform validate -json` on a copy of `folder`."""
        work = self._copy(folder, None)
        try:
            started = time.monotonic()
            done = self._run(["validate", "-json", "-no-color"], work)
            seconds = time.monotonic() - started
        finally:
            shutil.rmtree(work.parent, ignore_errors=True)
        try:
            report = json.loads(done.stdout)
        except json.JSONDecodeError:
            report = {"valid": False, "diagnostics": []}
        return ValidateResult(
            diagnostics=[Diagnostic.parse(d) for d in report.get("diagnostics", [])],
            seconds=seconds,
            returncode=done.returncode,
            stderr=done.stderr,
            valid=bool(report.get("valid")),
        )

    def plan(self, folder: Path, variables: dict[str, Any] | None = None) -> PlanResult:
        """`terraform plan` (no refresh, no lock) then `terraform show -json` of the plan."""
        work = self._copy(folder, variables)
        try:
            started = time.monotonic()
            done = self._run(["plan", *COMMON_FLAGS, *PLAN_FLAGS, "-out=tfplan"], work)
            diagnostics = _stream_diagnostics(done.stdout)
            plan: dict[str, Any] = {}
            if done.returncode == 0:
                shown = self._run(["show", "-json", "-no-color", "tfplan"], work)
                if shown.returncode == 0:
                    plan = json.loads(shown.stdout)
                else:
                    diagnostics.append(Diagnostic("error", "terraform show failed", shown.stderr))
            seconds = time.monotonic() - started
        finally:
            shutil.rmtree(work.parent, ignore_errors=True)
        return PlanResult(
            diagnostics=diagnostics,
            seconds=seconds,
            returncode=done.returncode,
            stderr=done.stderr,
            plan=plan,
        )

    def validate_files(self, files: dict[str, str]) -> ValidateResult:
        """Validate an in-memory `name -> text` configuration."""
        return self._with_files(files, self.validate)

    def plan_files(self, files: dict[str, str], variables: dict[str, Any] | None = None) -> PlanResult:
        """Plan an in-memory `name -> text` configuration."""
        return self._with_files(files, lambda folder: self.plan(folder, variables))

    def check_files(
        self, files: dict[str, str], variables: dict[str, Any] | None = None
    ) -> tuple[ValidateResult, PlanResult]:
        """Validate then plan an in-memory configuration (emitter output or a cdktf synth)."""
        return self.validate_files(files), self.plan_files(files, variables)

    def _with_files(self, files: dict[str, str], action: Any) -> Any:
        parent = Path(tempfile.mkdtemp(prefix="src-", dir=self.scratch))
        try:
            return action(workdir.write_files(files, parent / "src"))
        finally:
            shutil.rmtree(parent, ignore_errors=True)


def _stream_diagnostics(stdout: str) -> list[Diagnostic]:
    """Diagnostics from a `-json` machine-readable UI stream."""
    found = []
    for line in stdout.splitlines():
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            continue
        if message.get("type") == "diagnostic":
            found.append(Diagnostic.parse(message["diagnostic"]))
    return found


def run_parallel(jobs: dict[Any, Any], workers: int = 2) -> dict[Any, Any]:
    """Call every `key -> zero-argument callable` in a thread pool; results by key.

    Terraform and the replay plugins are separate processes, so threads overlap them well;
    two workers match the two cores CI has.
    """
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {key: pool.submit(job) for key, job in jobs.items()}
        return {key: future.result() for key, future in futures.items()}


@contextlib.contextmanager
def offline_terraform(prefix: str) -> Iterator[Terraform]:
    """Terraform wired to the replay providers in a scratch folder (removed afterwards)."""
    root = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        setup = launcher.write(root)
        scratch, tmpdir = root / "scratch", root / "tmp"
        scratch.mkdir()
        tmpdir.mkdir()
        yield Terraform(setup, scratch, tmpdir)
    finally:
        shutil.rmtree(root, ignore_errors=True)
