"""Opening a database: the engine (SQLite tuned for safe concurrent writers) and the schema check.

The schema is versioned with Alembic (migrations/versions). `migrate` brings an older database up to
the head revision in one transaction (PostgreSQL: under an advisory lock, so several processes
starting together migrate once); a database newer than this program is refused, never touched.
"""

from __future__ import annotations

from pathlib import Path

from ..types import UserInputError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_PG_LOCK_KEY = 7_310_013  # advisory lock id for migrations


class StoreError(UserInputError):
    """The database cannot be used (bad URL, missing driver, unreachable, newer schema)."""


def make_engine(url: str):
    from sqlalchemy import create_engine, event
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    if not isinstance(url, str) or not url.strip():
        raise StoreError("ASSISTANT_DB_URL 为空，应是 SQLAlchemy 地址，如 sqlite:///data/assistant.db。")
    try:
        u = make_url(url.strip())
    except ArgumentError:
        raise StoreError(f"无法识别的数据库地址“{url[:60]}”，应形如 sqlite:///data/assistant.db 或 "
                         f"postgresql+psycopg://用户:密码@主机/库名。") from None
    kwargs: dict = {"future": True}
    if u.get_backend_name() == "sqlite":
        db = u.database or ""
        if db and db != ":memory:" and not db.startswith("file:"):
            Path(db).expanduser().parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
        if not db or db == ":memory:":
            from sqlalchemy.pool import StaticPool

            kwargs["poolclass"] = StaticPool
    else:
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(u, **kwargs)
    except (NoSuchModuleError, ModuleNotFoundError, ImportError) as e:
        raise StoreError(f"数据库驱动不可用（{u.drivername}）：{e}。PostgreSQL 请用 postgresql+psycopg://…") from None
    if u.get_backend_name() == "sqlite":
        _tune_sqlite(engine, event)
    return engine


def _tune_sqlite(engine, event) -> None:
    """WAL journal (readers never block the writer), foreign keys on, and every transaction begun
    with BEGIN IMMEDIATE so two writers queue on the lock instead of failing halfway."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (pysqlite's own is deferred)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def current_revision(engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine, upgrade: bool = True) -> str:
    """Check the schema version; upgrade to head if older (and allowed). Returns the revision."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    cfg = _alembic_config()
    script = ScriptDirectory.from_config(cfg)
    head = script.get_current_head()
    known = {r.revision for r in script.walk_revisions()}
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
            current = MigrationContext.configure(conn).get_current_revision()
            if current == head:
                return head
            if current is not None and current not in known:
                raise StoreError(f"数据库的架构版本（{current}）比本程序新（{head}），请升级程序后再用这个数据库。")
            if not upgrade:
                raise StoreError(f"数据库的架构版本（{current or '空库'}）落后于本程序（{head}），需要迁移。")
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            return head
    except OperationalError as e:
        raise StoreError(f"无法打开数据库：{str(e.orig)[:200]}") from None
