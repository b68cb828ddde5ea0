"""Wall time and peak memory of a whole process tree, sampled with psutil.

`measure(cmd)` starts one command and, on a background thread, sums the RSS of the process and
all its descendants every `interval` seconds (<= 10 ms), keeping the peak of that sum, the most
processes seen at once, and the name of every process seen (so a benchmark can prove that no
`node` process started). Wall time runs from just before the spawn to the moment `os.wait4`
reaps the child, which also reports the CPU time (user + sys) of the child and its reaped
descendants. The harness itself stays lean (matplotlib is imported only when the report is
drawn) and the pre-exec fork of the child is never counted.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psutil

DEFAULT_INTERVAL_S = 0.005
MB = 1024 * 1024


class MeasureError(Exception):
    """A measured command failed; the message carries its exit code and the tail of its stderr."""


@dataclass
class Sample:
    """One measured run of one command."""

    wall_s: float
    peak_rss_mb: float
    returncode: int
    max_procs: int
    process_names: set[str] = field(default_factory=set)
    samples: int = 0
    cpu_s: float = 0.0
    stderr_tail: str = ""


class TreeSampler(threading.Thread):
    """Background thread summing the RSS of `pid` and its descendants until stopped."""

    def __init__(self, pid: int, interval: float = DEFAULT_INTERVAL_S) -> None:
        super().__init__(daemon=True)
        if not 0 < interval <= 0.010:
            raise ValueError(f"interval: got {interval}; expected 0 < interval <= 0.010 s")
        self.interval = interval
        self.root = psutil.Process(pid)
        self.peak_bytes = 0
        self.max_procs = 0
        self.samples = 0
        self.names: set[str] = set()
        self._known: dict[int, psutil.Process] = {pid: self.root}
        self._own_cmdline = psutil.Process().cmdline()
        self._exec_seen = False
        self._halt = threading.Event()

    def stop(self) -> None:
        """Ask the thread to finish after the current sample."""
        self._halt.set()

    def _root_has_exec(self) -> bool:
        """False while the child is still the pre-exec fork of this process.

        Between fork and exec the child reports the benchmark's own RSS; counting it would
        charge the harness's memory to the measured command.
        """
        if not self._exec_seen:
            try:
                self._exec_seen = self.root.cmdline() != self._own_cmdline
            except psutil.Error:
                return False
        return self._exec_seen

    def _tree(self) -> list[psutil.Process]:
        try:
            children = self.root.children(recursive=True)
        except psutil.Error:
            return []
        return [self.root, *(self._known.setdefault(child.pid, child) for child in children)]

    def sample_once(self) -> None:
        """Take one sample of the tree: sum RSS, count processes, note names (names change on exec)."""
        if not self._root_has_exec():
            return
        total = 0
        alive = 0
        for proc in self._tree():
            try:
                with proc.oneshot():
                    total += proc.memory_info().rss
                    self.names.add(proc.name())
                alive += 1
            except psutil.Error:
                continue
        self.samples += 1
        self.peak_bytes = max(self.peak_bytes, total)
        self.max_procs = max(self.max_procs, alive)

    def run(self) -> None:
        """Sample until stopped."""
        while not self._halt.is_set():
            self.sample_once()
            self._halt.wait(self.interval)


def measure(
    cmd: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    interval: float = DEFAULT_INTERVAL_S,
    timeout: float = 600.0,
) -> Sample:
    """Run `cmd` once; return its wall time, peak summed tree RSS and the processes seen.

    stdout is discarded; the last 2,000 characters of stderr are kept for error reports. A run
    longer than `timeout` seconds is killed (and reported with the kill's exit code).
    """
    with tempfile.TemporaryFile() as stderr_file:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd),
            env=dict(env) if env is not None else None,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr_file,
        )
        sampler = TreeSampler(proc.pid, interval)
        sampler.start()
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        try:
            # wait4, not Popen.wait: same reaping, plus the CPU time of the child and its
            # reaped descendants (less sensitive than wall time to a busy machine).
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            wall = time.perf_counter() - start
            killer.cancel()
            sampler.stop()
            sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        stderr_file.seek(0)
        tail = stderr_file.read().decode("utf-8", "replace")[-2000:]
    return Sample(
        wall_s=wall,
        peak_rss_mb=sampler.peak_bytes / MB,
        returncode=proc.returncode,
        max_procs=sampler.max_procs,
        process_names=sampler.names,
        samples=sampler.samples,
        cpu_s=usage.ru_utime + usage.ru_stime,
        stderr_tail=tail,
    )


def median(values: Sequence[float]) -> float:
    """Median of a non-empty sequence."""
    return float(statistics.median(values))
