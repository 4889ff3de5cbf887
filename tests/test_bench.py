"""The benchmark's own measuring tools (the numbers themselves are printed, never asserted)."""

import os
import sys

import pytest

from assistant.bench import _children


def test_a_childs_peak_rss_is_its_own_not_the_benchmark_processes():
    """On Linux a forked child starts with its parent's peak RSS; the launcher keeps the
    benchmark's memory (a loaded model) out of the cold-start numbers."""
    ballast = bytearray(300 * 1024 * 1024)  # this process now peaks above 300 MB
    ballast[::4096] = b"x" * len(ballast[::4096])  # touch every page
    (wall, rss), = _children([([sys.executable, "-c", "pass"], dict(os.environ))])
    del ballast
    assert 0 < wall < 60
    assert 1 < rss < 100


def test_a_failing_child_is_reported_with_its_error():
    with pytest.raises(RuntimeError, match="boom"):
        _children([([sys.executable, "-c", "import sys; sys.exit('boom')"], dict(os.environ))])
