"""参照数据 — other departments' registries (低保, 特困, 户籍, 车辆, 市场主体, 不动产, 财政供养 …)
loaded as dated snapshots for 数据比对 (seed 003 §四(一)).

`kinds` defines each kind's columns, `readers` and `parsing` read and check a file row by row,
`spool` holds its accepted rows until they are written, `store` keeps snapshots and rows beside
the events and answers what was in force on a date, `samples` writes files for tests and the
demo. The application service is `renovation.application.registries`; docs/registries.md.
"""

from renovation.aggregates.registry import RegistrySnapshot, RegistrySnapshotImported

# Stored topics read `renovation.registry:<Name>`; exporting the classes here lets a process
# that never imported the aggregate resolve them by importing this package.
__all__ = ["RegistrySnapshot", "RegistrySnapshotImported"]
