"""Synthetic households: names, ID numbers, phones and 一卡通 cards that pass validation.

Each household is a pure function of (seed, index), so a programme of any size is reproducible
without remembering what was generated. ID numbers, phones and cards are unique by construction.
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta
from typing import Any

from stdnum import luhn
from stdnum.cn import ric

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁宋唐韦蒋莫覃廖蓝"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉梅建国志红春生福贵"
BANKS = ("广西农村信用社", "中国农业银行", "中国邮政储蓄银行", "桂林银行")
RELATIONS = ("配偶", "子", "女", "孙子", "孙女", "母亲")
SLOTS = 8  # persons reserved per household index
_BORN_FROM = date(1938, 1, 1)


def id_number(region: str, person: int) -> str:
    """A valid number unique per person index: (birth date, sequence) never repeat."""
    born = _BORN_FROM + timedelta(days=2 * (person // 1000))
    body = f"{region}{born:%Y%m%d}{person % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def phone(index: int, seed: int) -> str:
    return f"13{(index * 7919 + seed) % 10**9:09d}"


def bank_card(index: int, seed: int) -> str:
    digest = hashlib.sha256(f"{seed}/{index}/card".encode()).hexdigest()
    body = "6217" + str(int(digest[:16], 16) % 10**14).zfill(14)
    return body + luhn.calc_check_digit(body)


class People:
    """A reproducible source of synthetic households."""

    def __init__(self, seed: int = 2022) -> None:
        self.seed = seed
        self._next = 0

    def name(self, rng: random.Random) -> str:
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        return rng.choice(SURNAMES) + given

    def household(
        self, region: str, year: int, size: int | None = None, index: int | None = None
    ) -> dict[str, Any]:
        """A household input (the `household` of a submit_application payload)."""
        if index is None:
            index, self._next = self._next, self._next + 1
        rng = random.Random(f"{self.seed}/{index}")
        size = size or rng.choice((1, 1, 2, 2, 3, 3, 4, 5))
        members = [
            {"name": self.name(rng), "id_number": id_number(region, index * SLOTS + slot),
             "relationship": rng.choice(RELATIONS)}
            for slot in range(1, size)
        ]
        return {
            "head": {"name": self.name(rng), "id_number": id_number(region, index * SLOTS)},
            "members": members,
            "size": size,
            "phone": phone(index, self.seed),
            "account": {"bank": rng.choice(BANKS), "kind": "card",
                        "number": bank_card(index, self.seed)},
            "group": f"第{rng.randint(1, 11)}村民小组",
        }
