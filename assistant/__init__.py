"""标准助手: answers questions about Party-building standards, always with the clause it stands on."""

__version__ = "0.1.0"
