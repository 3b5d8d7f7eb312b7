"""审计 — tamper evidence for the event store.

- `chain` — the leaf and chain hash functions (the only definition of the chain);
- `recorders` — the library's SQLite and PostgreSQL recorders, extended to write the chain in the
  same transaction as the events;
- `checkpoint` — Ed25519 keys and signed checkpoints (signed notes) of the chain head;
- `verify` — recomputes every leaf and the chain from raw rows and checks the checkpoints;
  `source` reads those rows, `report` names what was found, `tables` holds the SQL.

This module imports nothing heavy: the store configuration names the recorders by topic.
"""

SQLITE_RECORDER_TOPIC = "renovation.audit.recorders:ChainedSQLiteApplicationRecorder"
POSTGRES_RECORDER_TOPIC = "renovation.audit.recorders:ChainedPostgresApplicationRecorder"
