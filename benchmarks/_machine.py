"""One line naming the machine a benchmark ran on: its figures compare only with the same CPU."""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path


def _cpu_model() -> str:
    """The CPU's model name (Linux /proc/cpuinfo), else what `platform` knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text("utf-8", "replace").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def describe() -> str:
    """CPU model, cores, Python and NumPy versions."""
    import numpy as np

    python = ".".join(map(str, sys.version_info[:3]))
    return f"{_cpu_model()}, {os.cpu_count() or 1} cores, Python {python}, NumPy {np.__version__}"
