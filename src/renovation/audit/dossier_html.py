"""The printable archive (一户一档) as one self-contained HTML page: inline CSS, no other files.

Sections follow the national archive forms; each recorded act shows its business date, when it
was recorded, who acted, the policy it applied and what its form recorded. The page is for
reading; the evidence is `dossier.json`.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from renovation.aggregates.base import CHINA_STANDARD_TIME
from renovation.audit.history import CaseHistory, HistoryEntry
from renovation.kernel.vocabulary import SECTION_ORDER, Role, Stage

CSS = """
body{font-family:"Noto Serif CJK SC","Songti SC",SimSun,serif;margin:2em;color:#111}
h1{font-size:1.5em;text-align:center;margin-bottom:.2em}
h2{font-size:1.15em;border-bottom:2px solid #333;margin-top:1.6em;page-break-after:avoid}
p.sub{text-align:center;color:#444}
table{border-collapse:collapse;width:100%;margin:.5em 0;page-break-inside:avoid}
th,td{border:1px solid #555;padding:.25em .5em;vertical-align:top;font-size:.9em}
th{background:#eee;text-align:left;width:22%}
.late{color:#b00;font-weight:bold}
.mask{color:#555}
footer{margin-top:2em;font-size:.8em;color:#444;word-break:break-all}
@media print{body{margin:1cm}}
"""

SUMMARY_LABELS = (
    ("case_ref", "档案编号"), ("programme_id", "年度计划"), ("village_code", "村（行政区划代码）"),
    ("stage_label", "办理阶段"), ("category", "对象类别"), ("head.name", "户主姓名"),
    ("head.id_number", "身份证号码"), ("household_size", "家庭人口"), ("phone", "联系电话"),
    ("account", "一卡（折）通账号"), ("grade", "危险等级"), ("subsidy_yuan", "补助金额（元）"),
    ("policy", "适用政策"), ("renovation_mode", "改造方式"), ("paid_yuan", "已拨付（元）"),
    ("submitted_on", "申请日期"), ("accepted_on", "验收日期"), ("closed_on", "销档日期"),
)


def render(
    history: CaseHistory, summary: dict[str, Any], export: dict[str, Any],
    checkpoint: dict[str, Any],
) -> str:
    """The whole page."""
    parts = [
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">",
        f"<title>一户一档 {escape(history.case_ref)}</title><style>{CSS}</style></head><body>",
        "<h1>农村危房改造 一户一档</h1>",
        f"<p class=\"sub\">档案编号 {escape(history.case_ref)}"
        f"（共 {len(history.entries)} 项记录{_through(history)}）</p>",
        _summary(summary),
    ]
    for section in _sections(history.entries):
        parts.append(section)
    parts.append(_footer(export, checkpoint))
    parts.append("</body></html>")
    return "\n".join(parts)


def _summary(summary: dict[str, Any]) -> str:
    rows = []
    for key, label in SUMMARY_LABELS:
        value: Any = summary
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        rows.append(f"<tr><th>{label}</th><td>{_value(value)}</td></tr>")
    return "<h2>基本情况</h2><table>" + "".join(rows) + "</table>"


def _sections(entries: list[HistoryEntry]) -> list[str]:
    grouped: dict[str, list[HistoryEntry]] = {}
    for e in entries:
        grouped.setdefault(e.section, []).append(e)
    order = [s for s in SECTION_ORDER if s in grouped] + [s for s in grouped
                                                          if s not in SECTION_ORDER]
    return [f"<h2>{escape(s)}</h2>" + "".join(_entry(e) for e in grouped[s]) for s in order]


BEFORE_DIRECTORY = "（人员名录启用前录入）"
"""Shown for events recorded before the staff directory: they name no recording principal."""


def _entry(e: HistoryEntry) -> str:
    role = Role(e.actor["role"]).label
    gap = e.gap_days
    late = f" <span class=\"late\">（迟 {gap} 天录入）</span>" if gap > 0 else ""
    rows = [
        ("事项", f"{escape(e.act)}（第 {e.version} 版，日志序号 {e.position}）"),
        ("业务日期", f"{e.occurred_on.isoformat()}"),
        ("录入时间", f"{_china_time(e.recorded_at)}{late}"),
        ("经办人", f"{escape(e.actor['id'])}（{escape(role)}，{escape(e.actor['jurisdiction'])}）"),
        ("录入人", escape(e.actor.get("recorded_by") or BEFORE_DIRECTORY)),
    ]
    if e.policy:
        rows.append(("适用政策", escape(f"{e.policy['id']} 第 {e.policy['version']} 版"
                                        if e.policy["version"] else str(e.policy["id"]))))
    rows += [(escape(k), _value(v)) for k, v in e.fields.items()]
    return "<table>" + "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows) + "</table>"


def _value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        return "；".join(f"{escape(str(k))}：{_value(v)}" for k, v in value.items()) or "—"
    if isinstance(value, list):
        return "，".join(_value(v) for v in value) or "—"
    text = str(value)
    if text in Stage.__members__.values():
        return escape(Stage(text).label)
    return escape(text)


def _china_time(moment: datetime | str | None) -> str:
    """Beijing time, as officials read it (the JSON keeps the exact UTC instant)."""
    if moment is None:
        return ""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.astimezone(CHINA_STANDARD_TIME).strftime("%Y-%m-%d %H:%M:%S 北京时间")


def _through(history: CaseHistory) -> str:
    """Says so when the archive stops before the case's latest version (an `as_of` export)."""
    if history.as_of_version == history.current_version:
        return ""
    later = history.current_version - history.as_of_version
    return f"，截至第 {history.as_of_version} 版，此后另有 {later} 项"


def _footer(export: dict[str, Any], checkpoint: dict[str, Any]) -> str:
    actor = export.get("actor", {})
    unmasked = "含明文个人信息（已记录查阅）" if export.get("unmasked") else "个人信息已脱敏"
    return (
        "<footer>"
        f"<p>导出：{_china_time(export.get('exported_at'))}，{escape(str(actor.get('id')))}"
        f"（{escape(str(actor.get('role')))}，{escape(str(actor.get('jurisdiction')))}），"
        f"事由：{escape(str(export.get('reason')))}；{unmasked}。</p>"
        f"<p>签名检查点：{escape(str(checkpoint.get('source')))}，公钥指纹"
        f" {escape(str(checkpoint.get('key_id')))}。以 <code>renovation audit verify-dossier</code>"
        " 核验同目录 dossier.json。</p></footer>"
    )
