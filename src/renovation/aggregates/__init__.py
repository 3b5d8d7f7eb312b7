"""Aggregates: the consistency boundaries. They import nothing above the kernel and the policy."""
