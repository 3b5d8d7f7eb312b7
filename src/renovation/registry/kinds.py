"""参照数据的格式 — the columns of each registry kind, with their Chinese headers and values.

Every kind names the person by `id_number` (身份证号); the other columns are the facts the
comparison rules need. A column's English id is its documented header and its key in the stored
attributes; the Chinese headers listed are accepted as aliases. Columns not listed are ignored —
never read, never stored — so a department's file may keep its names, addresses and phones.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from renovation.aggregates.registry import RegistryKind


class Area(StrEnum):
    """城乡类别 of a 低保 — a rural-registered person on urban 低保 still counts as rural 低保."""

    RURAL = "rural"
    URBAN = "urban"


class SupportMode(StrEnum):
    """特困供养方式."""

    DISPERSED = "dispersed"
    CONCENTRATED = "concentrated"


class MonitoringType(StrEnum):
    """防止返贫监测对象类型."""

    UNSTABLE_LIFTED = "unstable_lifted"
    MARGINAL = "marginal"
    SUDDEN_HARDSHIP = "sudden_hardship"


class Relationship(StrEnum):
    """与户主关系."""

    HEAD = "head"
    SPOUSE = "spouse"
    CHILD = "child"
    CHILD_IN_LAW = "child_in_law"
    GRANDCHILD = "grandchild"
    PARENT = "parent"
    PARENT_IN_LAW = "parent_in_law"
    GRANDPARENT = "grandparent"
    SIBLING = "sibling"
    OTHER = "other"


class VehicleType(StrEnum):
    """车辆类型."""

    CAR = "car"
    TRUCK = "truck"
    MOTORCYCLE = "motorcycle"
    AGRICULTURAL = "agricultural"
    OTHER = "other"


class CompanyRole(StrEnum):
    """在市场主体中的身份."""

    LEGAL_REPRESENTATIVE = "legal_representative"
    SHAREHOLDER = "shareholder"
    OWNER = "owner"


class PropertyUse(StrEnum):
    """不动产用途."""

    RESIDENTIAL = "residential"
    COMMERCIAL = "commercial"
    OTHER = "other"


class EmployerKind(StrEnum):
    """财政供养单位类别."""

    GOVERNMENT = "government"
    PUBLIC_INSTITUTION = "public_institution"
    STATE_OWNED_ENTERPRISE = "state_owned_enterprise"
    OTHER = "other"


CHOICES: dict[StrEnum, tuple[str, ...]] = {
    # the first name is the label; the rest are other ways departments write the value
    Area.RURAL: ("农村", "农村低保", "乡村"), Area.URBAN: ("城市", "城镇", "城市低保"),
    SupportMode.DISPERSED: ("分散供养", "分散"), SupportMode.CONCENTRATED: ("集中供养", "集中"),
    MonitoringType.UNSTABLE_LIFTED: ("脱贫不稳定户",), MonitoringType.MARGINAL: ("边缘易致贫户",),
    MonitoringType.SUDDEN_HARDSHIP: ("突发严重困难户",),
    Relationship.HEAD: ("户主", "本人"), Relationship.SPOUSE: ("配偶", "妻", "夫", "妻子", "丈夫"),
    Relationship.CHILD: ("子女", "子", "女", "儿子", "女儿", "长子", "次子", "长女", "次女",
                         "养子", "养女"),
    Relationship.CHILD_IN_LAW: ("儿媳", "女婿", "媳妇"),
    Relationship.GRANDCHILD: ("孙子女", "孙子", "孙女", "外孙子", "外孙女", "外孙"),
    Relationship.PARENT: ("父母", "父亲", "母亲", "父", "母"),
    Relationship.PARENT_IN_LAW: ("公婆", "岳父母", "公公", "婆婆", "岳父", "岳母"),
    Relationship.GRANDPARENT: ("祖父母", "祖父", "祖母", "外祖父", "外祖母"),
    Relationship.SIBLING: ("兄弟姐妹", "兄", "弟", "姐", "妹", "哥哥", "弟弟", "姐姐", "妹妹"),
    Relationship.OTHER: ("其他",),
    VehicleType.CAR: ("小型汽车", "汽车", "轿车", "小型载客汽车", "小型客车"),
    VehicleType.TRUCK: ("货车", "载货汽车", "重型货车", "中型货车", "轻型货车"),
    VehicleType.MOTORCYCLE: ("摩托车", "普通二轮摩托车"),
    VehicleType.AGRICULTURAL: ("农用车", "拖拉机", "三轮汽车", "低速货车", "农用运输车"),
    VehicleType.OTHER: ("其他",),
    CompanyRole.LEGAL_REPRESENTATIVE: ("法定代表人", "法人", "负责人"),
    CompanyRole.SHAREHOLDER: ("股东", "投资人", "出资人"),
    CompanyRole.OWNER: ("经营者", "个体工商户经营者", "业主"),
    PropertyUse.RESIDENTIAL: ("住宅", "住房", "成套住宅"),
    PropertyUse.COMMERCIAL: ("商业", "商服", "商铺", "商业服务", "办公"),
    PropertyUse.OTHER: ("其他",),
    EmployerKind.GOVERNMENT: ("机关", "行政机关", "党政机关", "国家机关"),
    EmployerKind.PUBLIC_INSTITUTION: ("事业单位",),
    EmployerKind.STATE_OWNED_ENTERPRISE: ("国有企业", "国企"),
    EmployerKind.OTHER: ("其他",),
}


def label(value: StrEnum) -> str:
    """The Chinese term of a value."""
    return CHOICES[value][0]


@dataclass(frozen=True)
class Column:
    """One column of a kind: its English id, Chinese label and other accepted headers.

    `type` is one of `id_number`, `division_code`, `date`, `choice`, `household_no`, `area_m2`.
    A date with `by_as_of` records something that happened, so it may not be after the
    snapshot's date; an end of validity (`valid_until`, `until`) may be.
    """

    name: str
    label: str
    type: str
    required: bool = True
    aliases: tuple[str, ...] = ()
    choices: type[StrEnum] | None = None
    by_as_of: bool = True

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.name, self.label, *self.aliases)


@dataclass(frozen=True)
class KindSpec:
    """A registry kind: its label, supplying department, columns, and date pairs in order."""

    kind: RegistryKind
    label: str
    department: str
    columns: tuple[Column, ...]
    order: tuple[tuple[str, str], ...] = ()

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


ID_NUMBER = Column("id_number", "身份证号", "id_number", aliases=(
    "身份证号码", "公民身份号码", "身份证件号码", "证件号码", "身份号码"))


def _division(required: bool = True, label: str = "行政区划代码",
              aliases: tuple[str, ...] = ()) -> Column:
    return Column("division_code", label, "division_code", required,
                  ("区划代码", "所在地区划代码", *aliases))


def _date(name: str, label: str, *aliases: str, required: bool = True,
          by_as_of: bool = True) -> Column:
    return Column(name, label, "date", required, aliases, by_as_of=by_as_of)


def _choice(name: str, label: str, choices: type[StrEnum], *aliases: str,
            required: bool = True) -> Column:
    return Column(name, label, "choice", required, aliases, choices)


def _certifying(extra: tuple[Column, ...] = ()) -> tuple[Column, ...]:
    """A certifying department's list (低保, 特困, 低保边缘, 监测对象): who, where, from when."""
    return (ID_NUMBER, _division(aliases=("户籍地区划代码",)),
            _date("valid_from", "起始日期", "开始日期", "享受起始日期", "认定日期", "纳入日期"),
            _date("valid_until", "终止日期", "截止日期", "退出日期", "风险消除日期",
                  required=False, by_as_of=False), *extra)


CERTIFIED_ORDER = (("valid_from", "valid_until"),)

KINDS: dict[RegistryKind, KindSpec] = {spec.kind: spec for spec in (
    KindSpec(RegistryKind.DIBAO, "农村低保", "民政", _certifying(
        (_choice("area", "城乡类别", Area, "低保类别", required=False),)), CERTIFIED_ORDER),
    KindSpec(RegistryKind.TEKUN, "特困供养", "民政", _certifying(
        (_choice("support_mode", "供养方式", SupportMode, required=False),)), CERTIFIED_ORDER),
    KindSpec(RegistryKind.DIBAO_MARGINAL, "低保边缘", "民政", _certifying(), CERTIFIED_ORDER),
    KindSpec(RegistryKind.MONITORING, "防止返贫监测对象", "乡村振兴", _certifying(
        (_choice("monitoring_type", "监测对象类型", MonitoringType, "监测类型",
                 required=False),)), CERTIFIED_ORDER),
    KindSpec(RegistryKind.HOUSEHOLD_REGISTRATION, "户籍", "公安", (
        ID_NUMBER, _division(label="户籍地区划代码"),
        Column("household_no", "户号", "household_no"),
        _choice("relationship", "与户主关系", Relationship, "关系"),
        _date("joined_on", "入户日期", "迁入日期", "落户日期"),
        _date("left_on", "迁出日期", "离户日期", required=False),
        _date("deceased_on", "死亡日期", required=False),
        Column("previous_household_no", "原户号", "household_no", False, ("分户前户号",)),
    ), (("joined_on", "left_on"), ("joined_on", "deceased_on"))),
    KindSpec(RegistryKind.VEHICLES, "机动车登记", "公安交管", (
        ID_NUMBER, _choice("vehicle_type", "车辆类型", VehicleType, "车辆种类"),
        _date("registered_on", "注册登记日期", "登记日期", "初次登记日期"),
        _date("deregistered_on", "注销日期", required=False),
        _division(required=False, aliases=("登记地区划代码",)),
    ), (("registered_on", "deregistered_on"),)),
    KindSpec(RegistryKind.COMPANIES, "市场主体登记", "市场监管", (
        ID_NUMBER, _choice("role", "人员类型", CompanyRole, "身份", "职务"),
        _date("registered_on", "成立日期", "登记日期"),
        _date("deregistered_on", "注销日期", "吊销日期", required=False),
        _division(required=False, aliases=("登记机关区划代码", "住所区划代码")),
    ), (("registered_on", "deregistered_on"),)),
    KindSpec(RegistryKind.REAL_ESTATE, "不动产登记", "自然资源", (
        ID_NUMBER, _choice("use", "用途", PropertyUse, "规划用途", "房屋用途"),
        _date("registered_on", "登记日期", "登簿日期"),
        _date("cancelled_on", "注销日期", required=False),
        Column("floor_area_m2", "建筑面积", "area_m2", False, ("面积",)),
        _division(required=False, label="坐落区划代码", aliases=("不动产坐落区划代码",)),
    ), (("registered_on", "cancelled_on"),)),
    KindSpec(RegistryKind.PUBLIC_EMPLOYEES, "财政供养人员", "财政/人社", (
        ID_NUMBER, _choice("employer_kind", "单位类别", EmployerKind, "单位性质"),
        _date("from", "起始日期", "入职日期", "开始日期"),
        _date("until", "终止日期", "离职日期", required=False, by_as_of=False),
        _division(required=False, aliases=("单位区划代码",)),
    ), (("from", "until"),)),
)}


def spec_of(kind: str | RegistryKind) -> KindSpec:
    """The spec of a kind by its id; ValueError names the kinds that exist."""
    try:
        return KINDS[RegistryKind(kind)]
    except ValueError:
        raise ValueError(f"unknown registry kind {kind!r}; one of:"
                         f" {', '.join(k.value for k in RegistryKind)}") from None
