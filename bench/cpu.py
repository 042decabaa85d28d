"""Processor time by unit during a run (gunicorn, each Celery worker, PostgreSQL, Redis, the bench
itself), read from /proc: where a rush's seconds of CPU went, to tell what a target waits for."""

import os
import threading
from collections import Counter

_TICKS = os.sysconf("SC_CLK_TCK")


def _processes():
    """(pid, process group, command line, CPU seconds) of every process this user can read."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                command = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # ended meanwhile
        # After the command's ")": state is field 0, process group 2, utime 11, stime 12 (proc(5)).
        yield int(entry), int(fields[2]), command, (int(fields[11]) + int(fields[12])) / _TICKS


def snapshot(groups: dict[str, int]) -> Counter:
    """CPU seconds so far per unit: each of `groups` (name → process group leader's pid, with
    what it forked), the PostgreSQL and Redis servers, and this process."""
    by_group = {pid: name for name, pid in groups.items()}
    seconds: Counter = Counter()
    for pid, group, command, cpu in _processes():
        if group in by_group:
            seconds[by_group[group]] += cpu
        elif command.startswith("postgres"):
            seconds["postgres"] += cpu
        elif "redis-server" in command.split(" ", 1)[0]:
            seconds["redis"] += cpu
        elif pid == os.getpid():
            seconds["bench (clients)"] += cpu
    return seconds


def report(before: Counter, after: Counter, wall: float) -> None:
    """Print each unit's share of the run's CPU, and how busy the processors were."""
    used = {name: after[name] - before.get(name, 0.0) for name in after}
    total = sum(used.values())
    cores = os.cpu_count() or 1
    print(f"CPU during the rush: {total:.1f} s of {wall * cores:.1f} s available ({cores} cores)")
    for name, value in sorted(used.items(), key=lambda item: -item[1]):
        print(f"  {name:<20} {value:7.1f} s  {value / total if total else 0:5.0%}")


class Timeline:
    """`snapshot` every `step` seconds on a thread of its own, printed as CPU seconds per unit and
    slice: when each unit worked, not only how much."""

    def __init__(self, groups: dict[str, int], step: float = 5.0) -> None:
        self.groups, self.step = groups, step
        self.snapshots: list[Counter] = [snapshot(groups)]
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._done.wait(self.step):
            self.snapshots.append(snapshot(self.groups))

    def stop(self) -> Counter:
        self._done.set()
        self._thread.join()
        self.snapshots.append(snapshot(self.groups))
        return self.snapshots[-1]

    def report(self) -> None:
        names = sorted({name for shot in self.snapshots for name in shot})
        print(f"CPU seconds per {self.step:.0f} s slice: " + ", ".join(names))
        for number, (before, after) in enumerate(zip(self.snapshots, self.snapshots[1:], strict=False)):
            values = " ".join(f"{after[name] - before.get(name, 0.0):6.1f}" for name in names)
            print(f"  {number * self.step:5.0f} s {values}")
