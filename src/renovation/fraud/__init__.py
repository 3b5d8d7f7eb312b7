"""违规线索 — irregularity rules over the event log, their findings and the inspectors' reviews.

Rules are a projection (`projection.Findings`): they read events, keep the facts they need, and
write findings that name the events which are their evidence. Time-dependent rules are judged at
query time (`queries`), so the answer depends on the date asked about, not on when it was built.
"""
