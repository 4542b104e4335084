"""Stopping a child process by its PID: its own stop signal, a bounded wait, then SIGKILL."""

from __future__ import annotations

import signal
import subprocess


def stop(process: subprocess.Popen, signum: int = signal.SIGTERM, timeout: float = 15.0) -> None:
    """Send ``signum`` (the program's own way to stop), wait, and kill it if it is still there."""
    if process.poll() is not None:
        return
    process.send_signal(signum)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
