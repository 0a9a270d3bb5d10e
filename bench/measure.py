"""What every benchmark measures beside wall time, and where it writes its figures.

CPU time is the figure a busy machine cannot inflate much: wall time counts the moments other
work held the core, CPU time counts only this work's. It is read for this process
(`time.process_time()`, all threads) and for PostgreSQL's backends from /proc, since the server
runs on this machine: /proc/<pid>/schedstat (nanoseconds on the CPU) where the kernel keeps it,
otherwise utime + stime from /proc/<pid>/stat (clock ticks, 10 ms, so only sums over many
samples mean anything). The load average is recorded before and after each benchmark.

`--write` replaces only the block between `<!-- bench:NAME:begin -->` and
`<!-- bench:NAME:end -->` in bench/RESULTS.md; the prose around it is never touched.
"""

from __future__ import annotations

import os
import shlex
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "RESULTS.md"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# --- CPU of a process ---------------------------------------------------------------------


def _schedstat_works() -> bool:
    try:
        return int(Path("/proc/self/schedstat").read_text().split()[0]) > 0
    except (OSError, ValueError, IndexError):
        return False


PRECISE = _schedstat_works()
CPU_SOURCE = "/proc/<pid>/schedstat (ns)" if PRECISE else "/proc/<pid>/stat utime+stime (ticks)"


def _stat_fields(pid: int) -> list[str]:
    # The command name (field 2) may hold spaces; everything after its closing ")" is numeric.
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def pid_cpu(pid: int) -> float:
    """CPU seconds (user + system) the process has used so far; OSError once it has exited."""
    if PRECISE:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
    fields = _stat_fields(pid)
    # After the name: state is index 0, so utime (field 14) and stime (field 15) are 11 and 12.
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def pid_parent(pid: int) -> int:
    return int(_stat_fields(pid)[1])


def _cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")


def is_postgres(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip() == "postgres"
    except OSError:
        return False


def backend_pid(cursor) -> int:
    """The PostgreSQL backend serving this cursor's connection."""
    cursor.execute("SELECT pg_backend_pid()")
    return cursor.fetchone()[0]


class Backend:
    """One PostgreSQL backend whose CPU this machine can read (the server must be local)."""

    def __init__(self, pid: int):
        if not is_postgres(pid):
            sys.exit(
                f"PostgreSQL backend {pid} is not a process on this machine: the benchmarks read "
                "its CPU time from /proc, so the server must run here."
            )
        self.pid = pid

    def cpu(self) -> float:
        return pid_cpu(self.pid)


# --- CPU of every backend of one database, while something else uses them -------------------


class BackendSampler(threading.Thread):
    """Sums the CPU of every PostgreSQL backend connected to one database, including those
    that connect and disconnect while it runs (an ingest's writer connections, a rematch's
    forked workers).

    Backends are found among the postmaster's children by their process title, which names
    the database; they are polled every `interval` seconds, so a backend that exits loses at
    most its last interval's CPU. A backend born after the sampler started counts from zero.
    No database connection is used, so forked processes inherit nothing of it. Its own CPU
    (this thread's) is kept in `own_cpu`, for callers measuring their process to subtract.
    """

    def __init__(self, database: str, anchor_pid: int, *, interval: float = 0.1):
        super().__init__(daemon=True)
        if not is_postgres(anchor_pid):
            Backend(anchor_pid)  # exits with the explanation
        self.database = database
        self.postmaster = pid_parent(anchor_pid)
        self.interval = interval
        self.own_cpu = 0.0
        self._token = f" {database} "
        self._lock = threading.Lock()
        self._halt = threading.Event()
        self._seen: dict[int, tuple[float, float]] = {}  # pid -> (baseline, last CPU)
        self._ours: dict[int, bool] = {}  # pid -> serves this database (set titles cached)
        self._started_ticks = self._now_ticks()
        self._poll(first=True)
        if anchor_pid not in self._seen:
            sys.exit(
                f"Cannot find PostgreSQL backend {anchor_pid} by its process title (is "
                "update_process_title off?); per-backend CPU needs it."
            )

    @staticmethod
    def _now_ticks() -> float:
        return float(Path("/proc/uptime").read_text().split()[0]) * CLOCK_TICKS

    def _children(self) -> list[int]:
        path = Path(f"/proc/{self.postmaster}/task/{self.postmaster}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            pids = []
            for entry in Path("/proc").iterdir():
                if entry.name.isdigit():
                    try:
                        if pid_parent(int(entry.name)) == self.postmaster:
                            pids.append(int(entry.name))
                    except (OSError, IndexError, ValueError):
                        continue
            return pids

    def _poll(self, first: bool = False) -> None:
        with self._lock:
            for pid in self._children():
                try:
                    ours = self._ours.get(pid)
                    if ours is None:
                        title = _cmdline(pid)
                        ours = self._token in title
                        # A backend just forked still shows the postmaster's command line
                        # until it sets its title: decide only once it has one.
                        if title.startswith("postgres: "):
                            self._ours[pid] = ours
                    if not ours:
                        continue
                    cpu = pid_cpu(pid)
                    if pid not in self._seen:
                        born = int(_stat_fields(pid)[19])  # starttime, ticks since boot
                        baseline = cpu if first or born < self._started_ticks else 0.0
                        self._seen[pid] = (baseline, cpu)
                    else:
                        self._seen[pid] = (self._seen[pid][0], cpu)
                except (OSError, IndexError, ValueError):
                    continue  # exited between the listing and the read

    def run(self) -> None:
        started = time.thread_time()
        while not self._halt.wait(self.interval):
            self._poll()
            self.own_cpu = time.thread_time() - started

    def total(self) -> float:
        """CPU seconds of the database's backends since the sampler started (polls now)."""
        self._poll()
        with self._lock:
            return sum(last - baseline for baseline, last in self._seen.values())

    @property
    def backends(self) -> int:
        """How many backends of the database were seen (the anchor included)."""
        with self._lock:
            return len(self._seen)

    def stop(self) -> float:
        total = self.total()
        self._halt.set()
        if self.is_alive():
            self.join()
        return total


def database_name(dsn: str) -> str:
    return dsn.rsplit("/", 1)[-1].split("?", 1)[0]


# --- Load, statistics, the record ----------------------------------------------------------


def load_average() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def cpu_figure(values: list[float]) -> float:
    """The per-sample CPU figure reported: the median when CPU is read in nanoseconds, the mean
    when it is read in 10 ms ticks (a median of ticks is 0 or 10 ms, never the truth)."""
    if not values:
        return 0.0
    return statistics.median(values) if PRECISE else statistics.fmean(values)


CPU_STAT = "p50" if PRECISE else "mean"


def command_line(module: str) -> str:
    """The command as run, with the database by name (never a password)."""
    url = os.environ.get("DATABASE_URL", "")
    prefix = f"DATABASE_URL=…/{database_name(url)} " if url else ""
    if os.environ.get("DEBUG") is not None:
        prefix += f"DEBUG={os.environ['DEBUG']} "
    return f"{prefix}.venv/bin/python -m {module} {shlex.join(sys.argv[1:])}".strip()


@dataclass
class Record:
    """What a run writes between its markers: date, command, load, then the figures."""

    name: str
    module: str
    started: str = field(default_factory=lambda: time.strftime("%Y-%m-%d %H:%M %Z"))
    load_before: str = field(default_factory=load_average)

    def header(self, load_after: str) -> str:
        return (
            f"Run of {self.started}: `{command_line(self.module)}`; load average (1/5/15 min) "
            f"{self.load_before} before, {load_after} after; CPU read from {CPU_SOURCE}."
        )


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- bench:{name}:begin -->", f"<!-- bench:{name}:end -->"


def results_check(name: str) -> None:
    """Refuse before a long run if RESULTS.md has no block for this benchmark."""
    begin, end = _markers(name)
    text = RESULTS.read_text() if RESULTS.exists() else ""
    if text.count(begin) != 1 or text.count(end) != 1 or text.index(begin) > text.index(end):
        sys.exit(
            f"--write needs one '{begin}' … '{end}' pair in {RESULTS.relative_to(ROOT)}; "
            "add it where the table belongs."
        )


def results_write(name: str, block: str) -> None:
    """Replace what lies between this benchmark's markers, and nothing else."""
    results_check(name)
    begin, end = _markers(name)
    text = RESULTS.read_text()
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    RESULTS.write_text(f"{head}{begin}\n{block.strip()}\n{end}{tail}")
    print(f"wrote the {name} block of {RESULTS.relative_to(ROOT)}")
