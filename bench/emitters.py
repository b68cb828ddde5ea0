"""In-process cost of the three emitters at scale: HCL files, Terraform JSON files, the runbook.

    python -m bench.emitters [INTEGRATIONS] [--repeats N] [--profile hcl|json|runbook]

Builds the documents of a generated spec (bench/specs.py) once, renders one of them per emitter
(templates loaded, as in any run), then times `repeats` passes over all of them: the median and
the least CPU time (`time.process_time`, steadier than wall time on a busy machine) and wall time.
`--profile` prints the cProfile functions by own time for one pass instead. Never asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.specs import write_spec
from grafana_okta_scim.loader import load_spec
from grafana_okta_scim.runbook import render_runbook
from grafana_okta_scim.synth import IntegrationPlan, build


def emitters(count: int) -> dict[str, Callable[[], object]]:
    """One pass of each emitter over the documents of a `count`-integration spec."""
    with tempfile.TemporaryDirectory() as folder:
        spec_path = write_spec(count, Path(folder))
        documents = list(build(load_spec(spec_path), spec_path.name).values())
    plans = [IntegrationPlan.of(document) for document in documents]
    documents[0].to_hcl_files(), documents[0].to_json_files(), render_runbook(plans[0])
    return {
        "hcl": lambda: [document.to_hcl_files() for document in documents],
        "json": lambda: [document.to_json_files() for document in documents],
        "runbook": lambda: [render_runbook(plan) for plan in plans],
    }


def timed(run: Callable[[], object], repeats: int) -> tuple[list[float], list[float]]:
    """CPU and wall seconds of `repeats` passes."""
    cpu, wall = [], []
    for _ in range(repeats):
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        run()
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started_wall)
    return cpu, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("integrations", type=int, nargs="?", default=1000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--profile", choices=("hcl", "json", "runbook"))
    args = parser.parse_args()
    runs = emitters(args.integrations)
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(runs[args.profile])
        pstats.Stats(profile).sort_stats("tottime").print_stats(15)
        return
    for name, run in runs.items():
        cpu, wall = timed(run, args.repeats)
        print(
            f"{name:8s} cpu median {statistics.median(cpu) * 1000:7.1f} ms (least {min(cpu) * 1000:7.1f})"
            f"  wall median {statistics.median(wall) * 1000:7.1f} ms"
        )


if __name__ == "__main__":
    main()
