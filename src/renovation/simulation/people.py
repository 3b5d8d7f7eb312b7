"""Synthetic households: names, ID numbers, phones and 一卡通 cards that pass validation."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from stdnum import luhn
from stdnum.cn import ric

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁宋唐韦蒋莫覃廖蓝"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂华玉梅建国志红春生福贵"
BANKS = ("广西农村信用社", "中国农业银行", "中国邮政储蓄银行", "桂林银行")
RELATIONS = ("配偶", "子", "女", "孙子", "孙女", "父亲", "母亲")


class People:
    """A reproducible source of synthetic residents."""

    def __init__(self, seed: int = 2022) -> None:
        self.rng = random.Random(seed)
        self._issued: set[str] = set()

    def name(self) -> str:
        given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))
        return self.rng.choice(SURNAMES) + given

    def id_number(self, region: str, born: date) -> str:
        """A fresh number with a valid check digit, never issued twice by this source."""
        while True:
            body = f"{region}{born:%Y%m%d}{self.rng.randrange(1000):03d}"
            number = body + ric.calc_check_digit(body + "0")
            if number not in self._issued:
                self._issued.add(number)
                return number

    def birth_date(self, youngest: int, oldest: int, year: int) -> date:
        start = date(year - oldest, 1, 1)
        return start + timedelta(days=self.rng.randrange((oldest - youngest) * 365))

    def phone(self) -> str:
        return f"1{self.rng.choice('3589')}{self.rng.randrange(10**9):09d}"

    def bank_card(self) -> str:
        body = "6217" + "".join(str(self.rng.randrange(10)) for _ in range(14))
        return body + luhn.calc_check_digit(body)

    def household(self, region: str, year: int, size: int | None = None) -> dict[str, Any]:
        """A household input (the `household` of a submit_application payload)."""
        size = size or self.rng.choice((1, 1, 2, 2, 3, 3, 4, 5))
        members = [
            {
                "name": self.name(),
                "id_number": self.id_number(region, self.birth_date(5, 80, year)),
                "relationship": self.rng.choice(RELATIONS),
            }
            for _ in range(size - 1)
        ]
        return {
            "head": {
                "name": self.name(),
                "id_number": self.id_number(region, self.birth_date(30, 85, year)),
            },
            "members": members,
            "size": size,
            "phone": self.phone(),
            "account": {"bank": self.rng.choice(BANKS), "kind": "card", "number": self.bank_card()},
            "group": f"第{self.rng.randrange(1, 12)}村民小组",
        }
