"""Deterministic compliance checks of users' own figures against the rule registry."""

from .rules import Figure, Rule, RuleInput, load_registry, load_rules

__all__ = ["Figure", "Rule", "RuleInput", "load_registry", "load_rules"]
