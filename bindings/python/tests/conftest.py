"""A real parleyd for each test: on loopback, on a free port, with its own data directory.

PARLEYD names the server binary and PARLEY_LIBRARY the shared library under test (the test
runner sets both; see tests/CMakeLists.txt)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Parleyd:
    """parleyd as a child process; stop() and start() keep its port and data directory."""

    def __init__(self, data_dir: Path, log_path: Path):
        self.binary = os.environ.get("PARLEYD")
        if not self.binary:
            pytest.fail("PARLEYD must name the parleyd binary to test against")
        self.data_dir = data_dir
        self.log_path = log_path
        self.port = _free_port()
        self.process: subprocess.Popen | None = None
        # More flags for the next start(), e.g. a limit a test changes across a restart.
        self.extra_flags: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        # Loopback tests log in and register many times from one address: the abuse limits
        # would refuse them, and they are not what these tests are about.
        args = [self.binary, "--host", "127.0.0.1", "--port", str(self.port), "--data-dir", str(self.data_dir),
                "--rate-limit", "1000000", "--rate-burst", "1000000", "--registrations-per-address", "1000000",
                "--log-level", "warn", *self.extra_flags]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        # Ready is when /healthz answers; the bound only stops a server that never comes up.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"parleyd exited with status {self.process.returncode}; log: {self.log_path.read_text()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.05)
        pytest.fail("parleyd did not answer /healthz")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=60)
        self.process = None


@pytest.fixture
def server(tmp_path: Path):
    s = Parleyd(tmp_path / "server", tmp_path / "parleyd.log")
    s.start()
    yield s
    s.stop()
