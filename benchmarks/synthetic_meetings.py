"""Simulated meetings the clusterer was never tuned on: St Petersburg appeals placed at invented buildings.

The dev meetings (``spb_dups_dev*.csv``) are what the lexicon and the thresholds were tuned on;
the judged meetings are others of the same kind. This builds look-alikes from a different file,
``spb_appeals_dev.csv`` (short appeals, ``cluster`` = the fine reason, no building), the way the
dev meetings read: each gold problem is one reason at one building of an invented district, its
comments carry the building in one of the dev meetings' four forms ("… [улица Савушкина, 76 к2]",
"По адресу … …", "… - …", "…. Дом …"), and the problem sizes follow the first dev meeting's
(230 single comments, 36 pairs, …). ``buildings`` sets how crowded a building is: 215 gives the
dev meetings' ~1.3 problems per building, 70 gives ~4, where different issues of one house meet
far more often. Texts that name an address of their own are left out (it would contradict the
building put beside them). The files go where the caller says, never into the repository.
"""

from __future__ import annotations

import csv
import random
import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

STREETS = ("Комендантский проспект", "улица Савушкина", "Байконурская улица", "проспект Испытателей",
           "Школьная улица", "улица Ильюшина", "Планерная улица", "Богатырский проспект", "Туристская улица",
           "улица Оптиков", "Серебристый бульвар", "Яхтенная улица", "улица Королёва", "Парашютная улица",
           "Гаккелевская улица", "Долгоозёрная улица", "муниципальный округ Озеро Долгое", "Приморский проспект")
FORMS = ("{text} [{address}]", "По адресу {address} {text}", "{address} - {text}", "{text}. Дом {address}")
# The first dev meeting's problem sizes: 291 problems, 400 comments.
SIZES = (1,) * 230 + (2,) * 36 + (3,) * 13 + (4,) * 7 + (5,) * 2 + (6, 7, 8)
OWN_ADDRESS = re.compile(r"ул\.|улиц|пр\.|просп|пер\.|переул|шоссе|наб\.|набереж|бульв|дом\s*№?\s*\d|д\.\s*\d"
                         r"|мост|площад|\d+\s*к\d", re.IGNORECASE)
FIELDS = ("text", "category", "is_problem", "cluster", "executor", "lang", "source")


def _buildings(rnd: random.Random, count: int) -> list[str]:
    found: set[str] = set()
    while len(found) < count:
        block = rnd.choice(("", "", f" к{rnd.randint(1, 4)}"))
        found.add(f"{rnd.choice(STREETS)}, {rnd.randint(1, 160)}{block}")
    return sorted(found)


def build_meeting(appeals: Sequence[dict[str, str]], *, seed: int, buildings: int = 215,
                  reasons: int = 33, sizes: Sequence[int] = SIZES) -> list[dict[str, str]]:
    """One simulated meeting's rows, shuffled; ``cluster`` = ``reason@building``."""
    rnd = random.Random(seed)
    pools: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in appeals:
        if row.get("cluster") and row.get("is_problem") == "1" and not OWN_ADDRESS.search(row["text"]):
            pools[row["cluster"]].append(row)
    common = sorted(c for c, rows in pools.items() if len(rows) >= max(sizes))
    if len(common) < reasons:
        raise ValueError(f"only {len(common)} reasons have {max(sizes)} usable appeals; {reasons} wanted")
    chosen = sorted(rnd.sample(common, reasons))
    for reason in chosen:
        rnd.shuffle(pools[reason])
    houses = _buildings(rnd, buildings)
    used: set[tuple[str, str]] = set()
    out: list[dict[str, str]] = []
    for size in rnd.sample(list(sizes), len(sizes)):
        candidates = [(r, h) for r in chosen if len(pools[r]) >= size for h in rnd.sample(houses, 3)
                      if (r, h) not in used]
        if not candidates:
            raise ValueError("the appeals ran out for a meeting this size")
        reason, house = rnd.choice(candidates)
        used.add((reason, house))
        for _ in range(size):
            row = pools[reason].pop()
            out.append({"text": rnd.choice(FORMS).format(text=row["text"].strip(), address=house),
                        "category": row.get("category", ""), "is_problem": "1",
                        "cluster": f"{chosen.index(reason)}@{houses.index(house)}", "executor": "",
                        "lang": "ru", "source": "synthetic"})
    rnd.shuffle(out)
    return out


def write_meetings(appeals_csv: Path, out_dir: Path, *, seeds: Sequence[int], buildings: int) -> list[Path]:
    """Write one CSV per seed (the dev files' columns) and return their paths."""
    with appeals_csv.open(encoding="utf-8", newline="") as fh:
        appeals = list(csv.DictReader(fh))
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for seed in seeds:
        path = out_dir / f"synthetic_b{buildings}_s{seed}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=FIELDS)
            writer.writeheader()
            writer.writerows(build_meeting(appeals, seed=seed, buildings=buildings))
        paths.append(path)
    return paths
