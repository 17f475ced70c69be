"""Adapters from other complaint data sources to recoverykit cases (mapping only, no I/O)."""
