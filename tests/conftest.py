"""Shared fixtures and fakes. Nothing here touches the network."""

import os
from pathlib import Path

import pytest

# Never reach a model hub, whatever a test does.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def corpus():
    from assistant.corpus import load_corpus

    return load_corpus(ROOT / "corpus")
