"""Targets, the markdown table and the scaling plot, computed from results.json data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

# (key, description, results key, comparison, threshold)
TARGETS: tuple[tuple[str, str, str, str, float], ...] = (
    ("cli_speed", "native synth >= 15x faster than `cdktf synth`", "ratio_cdktf_cli_over_native", ">=", 15),
    (
        "cli_memory",
        "native synth >= 5x less peak memory than `cdktf synth`",
        "ratio_rss_cdktf_cli_over_native",
        ">=",
        5,
    ),
    (
        "floor",
        "native synth <= 2.5x the floor (import pydantic, jinja2, yaml)",
        "ratio_native_over_floor",
        "<=",
        2.5,
    ),
    (
        "floor_stretch",
        "stretch: native synth <= 2x the floor",
        "ratio_native_over_floor",
        "<=",
        2,
    ),
    (
        "scale_time_tmpfs",
        "1,000 integrations <= 1 s, output on tmpfs (the synth's own cost)",
        "scale.1000.s_tmpfs",
        "<=",
        1,
    ),
    (
        "scale_time",
        "1,000 integrations on disk, durability on (reported beside tmpfs; was <= 2 s)",
        "scale.1000.s",
        "<=",
        2,
    ),
    ("impact_time", "`impact` on a plan of 1,000 resource changes <= 1 s", "impact_1000_s", "<=", 1),
)
LINEAR_TOLERANCE = 0.10  # relative residual allowed at each scaling point
LINEAR_TOLERANCE_MB = 3.0  # absolute residual always allowed (sampling noise)


def _lookup(results: dict[str, Any], dotted: str) -> Any:
    value: Any = results
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def linear_fit(scale: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Least-squares lines through the scaling points (RSS and time), and whether RSS is linear.

    Memory counts as linear when the fitted line is within 10% (or 3 MB) of every point: a
    super-linear curve through 1..1,000 misses the 100 point by far more than that.
    """
    points = [
        (int(n), float(v["rss_mb"]), float(v["s"]))
        for n, v in scale.items()
        if v.get("rss_mb") is not None and v.get("s") is not None
    ]
    if len(points) < 2:
        return {"mb_per_integration": None, "ms_per_integration": None, "linear": None, "points": len(points)}
    xs = [p[0] for p in points]
    mem_slope, mem_icept = _least_squares(xs, [p[1] for p in points])
    time_slope, time_icept = _least_squares(xs, [p[2] for p in points])
    residuals = [abs(rss - (mem_icept + mem_slope * n)) for n, rss, _ in points]
    within = [
        r <= max(LINEAR_TOLERANCE * rss, LINEAR_TOLERANCE_MB)
        for r, (_, rss, _) in zip(residuals, points, strict=True)
    ]
    return {
        "mb_per_integration": round(mem_slope, 4),
        "intercept_mb": round(mem_icept, 1),
        "ms_per_integration": round(time_slope * 1000, 3),
        "intercept_s": round(time_icept, 3),
        "max_residual_mb": round(max(residuals), 2),
        "linear": all(within) if len(points) >= 3 else None,
        "points": len(points),
    }


def _least_squares(xs: list[int], ys: list[float]) -> tuple[float, float]:
    mean_x = sum(xs) / len(xs)
    mean_y = sum(ys) / len(ys)
    var = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / var if var else 0.0
    return slope, mean_y - slope * mean_x


def targets(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each target with its measured value and pass (True), miss (False) or not measured (None)."""
    out: dict[str, dict[str, Any]] = {}
    for key, text, source, op, threshold in TARGETS:
        value = _lookup(results, source)
        passed = None if value is None else (value >= threshold if op == ">=" else value <= threshold)
        out[key] = {"target": text, "source": source, "threshold": threshold, "value": value, "pass": passed}
    fit = results.get("scale_fit") or {}
    out["scale_memory_linear"] = {
        "target": "memory grows linearly with integrations (1..1,000)",
        "source": "scale_fit.linear",
        "threshold": f"fit within {LINEAR_TOLERANCE:.0%} or {LINEAR_TOLERANCE_MB:g} MB at every point",
        "value": fit.get("mb_per_integration"),
        "pass": fit.get("linear"),
    }
    return out


def _num(value: Any, digits: int = 3, suffix: str = "") -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:.{digits}f}{suffix}"


def _verdict(passed: bool | None) -> str:
    return {True: "**pass**", False: "**miss**", None: "not measured"}[passed]


def markdown(results: dict[str, Any]) -> str:
    """The results table (GitHub markdown), with date, machine and mode."""
    machine = results["machine"]
    run = results["run"]
    errors: dict[str, str] = results.get("errors", {})
    details: dict[str, dict[str, Any]] = results["details"]
    lines = [
        "## Benchmark: native synth vs CDKTF vs CDK Terrain vs the import floor",
        "",
        f"{results['date']} · {machine['nproc']} CPU ({machine['uname_m']}, {machine['cpu_model']}), "
        f"{machine['mem_total_gb']} GB · Python {results['python']['version']} · "
        f"Node {results['node'] or 'absent'} · cdktf-cli {results['cdktf_cli'] or 'absent'} · "
        f"cdktn-cli {results.get('cdktn_cli') or 'absent'} on Node {results.get('cdktn_node') or 'absent'} · "
        f"commit {results['commit']}",
        "",
        f"Mode {run['mode']}: median of {run['runs']} run(s) after {run['warmup_runs']} warm-up "
        f"(scaling: {run['scale_runs']} run(s)); benchmarks interleaved round by round; peak memory = "
        f"peak of the summed RSS of the whole process tree, sampled every {run['interval_ms']:g} ms; "
        f"spec `{run['spec']}`; load average {machine.get('loadavg_at_start')} at start, "
        f"{machine['loadavg_at_end']} at end.",
        "",
        "| measurement | median time (s) | peak RSS, tree (MB) | CPU time, tree (s) | max processes |",
        "|---|---:|---:|---:|---:|",
    ]
    rows = (
        ("native_synth", "`grafana-okta-scim synth` (HCL)", "native_synth_s", "native_synth_rss_mb"),
        (
            "native_synth_json",
            "`grafana-okta-scim synth --format json`",
            "native_synth_json_s",
            "native_synth_json_rss_mb",
        ),
        (
            "cdktf_inprocess",
            "`python cdk/main.py` (cdktf in-process)",
            "cdktf_inprocess_synth_s",
            "cdktf_inprocess_rss_mb",
        ),
        ("cdktf_cli", "`npx cdktf synth`", "cdktf_cli_synth_s", "cdktf_cli_rss_mb"),
        (
            "cdktn_inprocess",
            "`python cdk/main.py` (cdktn in-process, Node 22)",
            "cdktn_inprocess_synth_s",
            "cdktn_inprocess_rss_mb",
        ),
        ("cdktn_cli", "`cdktn synth` (cdk/terrain, Node 22)", "cdktn_cli_synth_s", "cdktn_cli_rss_mb"),
        (
            "cdktf_import",
            '`python -c "import grafana_okta_scim.constructs"` (cdktf)',
            "cdktf_import_s",
            "cdktf_import_rss_mb",
        ),
        (
            "cdktn_import",
            '`python -c "import grafana_okta_scim.constructs"` (cdktn, Node 22)',
            "cdktn_import_s",
            "cdktn_import_rss_mb",
        ),
        ("floor", '`python -c "import pydantic, jinja2, yaml"` (floor)', "floor_s", "floor_rss_mb"),
        ("import", '`python -c "import grafana_okta_scim"`', "import_s", "import_rss_mb"),
        (
            "impact_1000",
            "`grafana-okta-scim impact` (1,000 resource changes)",
            "impact_1000_s",
            "impact_1000_rss_mb",
        ),
    )
    for key, label, s_key, rss_key in rows:
        if key in errors:
            lines.append(f"| {label} | null | null | null | {errors[key]} |")
            continue
        detail = details.get(key, {})
        lines.append(
            f"| {label} | {_num(results[s_key])} | {_num(results[rss_key], 1)} | "
            f"{_num(detail.get('median_cpu_s'))} | {detail.get('max_procs')} |"
        )

    lines += ["", "| ratio (median of per-round pairs) | value |", "|---|---:|"]
    for key, label in (
        ("ratio_cdktf_cli_over_native", "time: `cdktf synth` / native"),
        ("ratio_rss_cdktf_cli_over_native", "peak memory: `cdktf synth` / native"),
        ("ratio_cdktf_inprocess_over_native", "time: cdk/main.py in-process / native"),
        ("ratio_rss_cdktf_inprocess_over_native", "peak memory: cdk/main.py in-process / native"),
        ("ratio_cdktn_cli_over_native", "time: `cdktn synth` / native"),
        ("ratio_rss_cdktn_cli_over_native", "peak memory: `cdktn synth` / native"),
        ("ratio_cdktn_inprocess_over_native", "time: cdk/main.py on cdktn / native"),
        ("ratio_rss_cdktn_inprocess_over_native", "peak memory: cdk/main.py on cdktn / native"),
        ("ratio_cdktn_cli_over_cdktf_cli", "time: `cdktn synth` / `cdktf synth`"),
        ("ratio_cdktn_inprocess_over_cdktf_inprocess", "time: cdk/main.py, cdktn / cdktf"),
        ("ratio_native_over_floor", "time: native / floor"),
        ("ratio_native_json_over_floor", "time: native JSON / floor"),
        ("ratio_cpu_cdktf_cli_over_native", "CPU time: `cdktf synth` / native"),
        ("ratio_cpu_native_over_floor", "CPU time: native / floor"),
    ):
        lines.append(f"| {label} | {_num(results.get(key), 2, 'x')} |")

    lines += ["", "| target | measured | result |", "|---|---:|---|"]
    for target in results["targets"].values():
        value = target["value"]
        shown = (
            _num(value, 4, " MB/integration") if target["source"] == "scale_fit.linear" else _num(value, 2)
        )
        lines.append(f"| {target['target']} | {shown} | {_verdict(target['pass'])} |")

    lines += [
        "",
        "| integrations | time (s) | peak RSS (MB) | CPU time (s) | ms per integration "
        "| time, output on tmpfs (s) | peak RSS, tmpfs (MB) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for count, point in results["scale"].items():
        if point.get("s") is None:
            lines.append(f"| {count} | null | null | null | {point.get('error') or ''} | null | null |")
            continue
        per = point["s"] * 1000 / int(count)
        lines.append(
            f"| {count} | {_num(point['s'])} | {_num(point['rss_mb'], 1)} | {_num(point.get('cpu_s'))} "
            f"| {_num(per, 2)} | {_num(point.get('s_tmpfs'))} | {_num(point.get('rss_mb_tmpfs'), 1)} |"
        )
    fit = results["scale_fit"]
    if fit.get("mb_per_integration") is not None:
        lines += [
            "",
            f"Least-squares fit over the scaling points: {fit['ms_per_integration']:.2f} ms and "
            f"{fit['mb_per_integration']:.3f} MB per integration (intercepts {fit['intercept_s']:.3f} s, "
            f"{fit['intercept_mb']:.1f} MB; largest memory residual {fit['max_residual_mb']:.1f} MB).",
        ]

    modules = results.get("import_loads_cdktf_modules")
    loaded = ", ".join(modules) if modules else "none" if modules is not None else "unknown"
    lines += [
        "",
        f"`import grafana_okta_scim` starts a node process: **{_num(results['import_starts_node'])}** "
        f"(processes seen: {', '.join(details['import']['process_names']) or 'none'}; "
        f"cdktf/cdktn/jsii/constructs modules loaded: {loaded}; "
        f"the same sampler sees a 150 ms node grandchild: {_num(results.get('node_detection_selfcheck'))}).",
    ]
    if errors:
        lines += ["", "Not measured:"]
        lines += [f"- `{key}`: {reason}" for key, reason in errors.items()]
    return "\n".join(lines) + "\n"


def plot_scale(results: dict[str, Any], path: Path) -> None:
    """scale.png: time against integrations (log-log, with the 1 s target) and peak RSS (linear axes, with
    the least-squares line, so linear growth shows as a straight line)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, NullFormatter

    points = [(int(n), v["s"], v["rss_mb"]) for n, v in results["scale"].items() if v.get("s") is not None]
    fig, (ax_t, ax_m) = plt.subplots(1, 2, figsize=(10, 4))
    if points:
        ns = [p[0] for p in points]
        ax_t.plot(ns, [p[1] for p in points], "o-", label="native synth, output on disk")
        tmpfs = [(int(n), v["s_tmpfs"]) for n, v in results["scale"].items() if v.get("s_tmpfs") is not None]
        if tmpfs:
            ax_t.plot(
                [p[0] for p in tmpfs], [p[1] for p in tmpfs], "s--", label="native synth, output on tmpfs"
            )
        ax_m.plot(ns, [p[2] for p in points], "o-", label="native synth (peak RSS)")
        fit = results.get("scale_fit") or {}
        if fit.get("mb_per_integration") is not None:
            grid = [0, max(ns)]
            ax_m.plot(
                grid,
                [fit["intercept_mb"] + fit["mb_per_integration"] * n for n in grid],
                "--",
                color="gray",
                label=f"linear fit: {fit['mb_per_integration']:.3f} MB/integration",
            )
    ax_t.axhline(1.0, color="red", linestyle=":", label="target: 1,000 integrations <= 1 s (tmpfs)")
    ax_t.set_xscale("log")
    ax_t.set_yscale("log")
    ax_t.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:,g}"))
    ax_t.xaxis.set_minor_formatter(NullFormatter())
    ax_t.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:g}"))
    ax_t.yaxis.set_minor_formatter(
        FuncFormatter(lambda value, _pos: f"{value:g}" if f"{value:e}"[0] in "25" else "")
    )
    ax_t.set_ylabel("wall time (s), log scale")
    ax_m.set_ylabel("peak RSS, process tree (MB)")
    ax_m.set_ylim(bottom=0)
    for ax in (ax_t, ax_m):
        ax.set_xlabel("integrations in the spec" + (" (log scale)" if ax is ax_t else ""))
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle(
        f"grafana-okta-scim synth scaling · {results['date']} · {results['machine']['nproc']} CPU "
        f"{results['machine']['uname_m']} · Python {results['python']['version']}",
        fontsize=9,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
