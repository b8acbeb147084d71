"""gunicorn for the load test, as ``deploy/xuncha.service`` runs it: ``config.wsgi:application``
bound to the loopback, here on a free port, with the workers and threads asked for (the service
has 3 sync workers; this machine has 2 cores, so the default here is 2 workers × 2 threads).
Its log goes to a file in the run's work directory; the workers' memory is read from /proc."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    env: dict[str, str]
    log: Path
    workers: int = 2
    threads: int = 2
    port: int = 0
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def command(self) -> list[str]:
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        return [
            gunicorn,
            "config.wsgi:application",
            f"--workers={self.workers}",
            f"--threads={self.threads}",
            f"--bind=127.0.0.1:{self.port}",
        ]

    def start(self, cwd: Path, timeout: float = 60.0) -> None:
        self.port = self.port or free_port()
        with self.log.open("wb") as log:  # this run's log only
            self.process = subprocess.Popen(  # noqa: S603 - our own virtualenv's gunicorn, fixed arguments
                self.command, cwd=cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}: see {self.log}")
            if self._healthy() and len(self.worker_pids()) == self.workers:
                return
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s: see {self.log}")

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:  # noqa: S310 - loopback
                return response.status == 200
        except (OSError, urllib.error.URLError):
            return False

    def worker_pids(self) -> list[int]:
        """The master's children (gunicorn's workers), from /proc/<pid>/stat."""
        if self.process is None:
            return []
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def worker_rss_mb(self) -> list[float]:
        """VmRSS of each worker, in MB (MiB), as /proc/<pid>/status reports it."""
        sizes = []
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            kb = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
            sizes.append(round(kb / 1024, 1))
        return sizes

    def watch(self, process: subprocess.Popen, timeout: float, every: float = 5.0) -> list[list[float]]:
        """Wait for ``process`` (the Locust run), reading the workers' RSS every ``every`` seconds:
        whether memory levels off or keeps growing shows in the series."""
        samples, deadline = [], time.monotonic() + timeout
        while process.poll() is None:
            if time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"the load run took longer than {timeout:.0f} s")
            samples.append(self.worker_rss_mb())
            time.sleep(every)
        if process.returncode:
            raise RuntimeError(f"the load run failed (exit {process.returncode})")
        return samples

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM: gunicorn's graceful stop (workers finish their requests), as systemd stops it."""
        if self.process is None or self.process.poll() is not None:
            return
        os.kill(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
