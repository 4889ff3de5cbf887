"""标准助手: answers questions about Party-building standards, always with the clause it stands on.

The public API (imported lazily, so `import assistant` stays cheap):

    from assistant import AssistantService, get_service, answer_question, Conversation
    from assistant import Answer, Citation, CheckResult, Clause, Hit, Turn, UserInputError
"""

__version__ = "0.1.0"

_EXPORTS = {
    "AssistantService": "service", "AskResult": "service", "get_service": "service",
    "answer_question": "answer", "Conversation": "answer",
    "open_store": "store", "ConversationStore": "store",
    "Answer": "types", "Citation": "types", "CheckResult": "types", "Clause": "types", "Hit": "types",
    "Turn": "types", "UserInputError": "types",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'assistant' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
