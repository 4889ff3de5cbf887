"""The store's tables (SQLAlchemy Core). Migrations in migrations/versions create exactly these;
tests/test_store.py checks that a migrated database matches this metadata."""

from __future__ import annotations

from sqlalchemy import (Boolean, Column, DateTime, ForeignKey, Index, Integer, MetaData, String, Table, Text,
                        UniqueConstraint)

metadata = MetaData()

conversations = Table(
    "conversations", metadata,
    Column("id", String(32), primary_key=True),
    Column("owner", String(200), nullable=False),
    Column("title", String(200), nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_conversations_owner_updated", "owner", "updated_at"),
)

turns = Table(
    "turns", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", String(32), ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("question", Text, nullable=False),
    Column("query", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("covered", Boolean, nullable=False),
    Column("mode", String(20), nullable=False),
    Column("notice", Text, nullable=False, server_default=""),
    Column("checks", Text, nullable=False, server_default="[]"),  # JSON list of CheckResult.to_json()
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("conversation_id", "position", name="uq_turns_conversation_position"),
)

citations = Table(
    "citations", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("turn_id", Integer, ForeignKey("turns.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("clause_id", String(40), nullable=False),
    Column("label", String(200), nullable=False),
    Column("quote", Text, nullable=False),
    Column("verified", Boolean, nullable=False),
    UniqueConstraint("turn_id", "position", name="uq_citations_turn_position"),
)

feedback = Table(
    "feedback", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("turn_id", Integer, ForeignKey("turns.id", ondelete="CASCADE"), nullable=False),
    Column("owner", String(200), nullable=False),
    Column("rating", Integer, nullable=False),  # 1 helpful, -1 not helpful
    Column("comment", Text, nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_feedback_turn", "turn_id"),
)
