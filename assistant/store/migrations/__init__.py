"""Alembic migrations of the conversation store, run in code by assistant.store.migrate (no alembic.ini)."""
