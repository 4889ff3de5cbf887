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


# ---------------------------------------------------------------- retrieval (issue 3)


@pytest.fixture(scope="session")
def fake_embedder():
    """Deterministic character n-gram hashing embedder: no model, no torch."""
    from assistant.retrieval.dense import HashingEmbedder

    return HashingEmbedder(256)


@pytest.fixture(scope="session")
def fake_settings(tmp_path_factory):
    """Settings with a private index dir and the hashing embedder (fast, model-free); its
    fusion.toml entry makes `auto` run the dense channel, so these tests cover Chroma too."""
    from assistant.config import get_settings

    return get_settings(corpus_dir=str(ROOT / "corpus"), index_dir=str(tmp_path_factory.mktemp("index-fake")),
                        embedding_model="hashing:256", dense="auto", chroma_url="")


@pytest.fixture(scope="session")
def retriever(fake_settings):
    """A HybridRetriever over a freshly built index in a tmp dir, hashing embedder (~2 s)."""
    from assistant.retrieval import get_retriever

    return get_retriever(fake_settings)


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory):
    """The real default model with the dense channel forced on (ASSISTANT_DENSE=on)."""
    from assistant.config import DEFAULT_EMBEDDING_MODEL, get_settings

    return get_settings(corpus_dir=str(ROOT / "corpus"), index_dir=str(tmp_path_factory.mktemp("index-real")),
                        embedding_model=DEFAULT_EMBEDDING_MODEL, dense="on", chroma_url="")


@pytest.fixture(scope="session")
def real_retriever(real_settings):
    """The real default model (loaded once per session), hybrid; use only in tests marked slow."""
    from assistant.retrieval import get_retriever

    return get_retriever(real_settings)


@pytest.fixture(scope="session")
def default_settings(tmp_path_factory):
    """What a user gets without settings: the default model, ASSISTANT_DENSE=auto (channel off)."""
    from assistant.config import DEFAULT_EMBEDDING_MODEL, get_settings

    return get_settings(corpus_dir=str(ROOT / "corpus"), index_dir=str(tmp_path_factory.mktemp("index-default")),
                        embedding_model=DEFAULT_EMBEDDING_MODEL, dense="auto", chroma_url="")


@pytest.fixture(scope="session")
def default_retriever(default_settings):
    """The served default retriever: lexical only, no model, no Chroma (fast)."""
    from assistant.retrieval import get_retriever

    return get_retriever(default_settings)


# ---------------------------------------------------------------- answers (issue 4)


@pytest.fixture
def fake_openai_server():
    """An OpenAI-compatible chat server on 127.0.0.1 with scripted replies (see tests/fake_openai.py)."""
    from tests.fake_openai import FakeOpenAIServer

    server = FakeOpenAIServer().start()
    yield server
    server.stop()


def run_page(module: str):
    """An AppTest of one page module of the app (assistant/ui/<module>.py), run once, no errors."""
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_string(f"from assistant.ui import {module}\n{module}.render()\n", default_timeout=60)
    app.run()
    assert not app.exception, app.exception
    return app
