"""One settings table; the README documents every row."""

from assistant.config import SETTINGS_TABLE, get_settings
from tests.conftest import ROOT


def test_readme_documents_every_setting():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for s in SETTINGS_TABLE:
        assert s.env in readme, f"README does not document {s.env}"


def test_env_and_overrides(monkeypatch):
    monkeypatch.setenv("ASSISTANT_EMBEDDING_MODEL", "/models/bge")
    assert get_settings().embedding_model == "/models/bge"
    assert get_settings(embedding_model="/x").embedding_model == "/x"
    monkeypatch.delenv("ASSISTANT_LLM_BASE_URL", raising=False)
    assert not get_settings().llm_enabled
