"""Shared kernel: the vocabulary, codes, scalar types and error base used by every layer."""
