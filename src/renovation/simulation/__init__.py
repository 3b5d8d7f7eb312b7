"""Synthetic programmes: households, staff and the commands of a case's life, for demos and tests.

Everything is generated from a seed, so a simulated programme is reproducible. Identity numbers
are valid in form only (checksums, known region codes) and belong to nobody.
"""
