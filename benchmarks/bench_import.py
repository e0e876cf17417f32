"""Import benchmark: how long reading a large office export takes, and that the event loop stays free.

For CSV and XLSX files of N rows (generated, synthetic), prints the time to preview and to map every
row (the reading runs in a worker thread, as in the server), and the worst delay of a 10 ms timer on
the event loop while it runs — the figure ``/healthz`` would see.

    .venv/bin/python benchmarks/bench_import.py --rows 10000 100000
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

import openpyxl

from tyndau.live.sources.files import import_file, preview
from tyndau.live.sources.tables import FileImportError


def make_csv(path: Path, rows: int) -> Path:
    lines = ["№;ФИО;Текст обращения;Дата;Телефон"]
    lines += [f"{i};Житель {i};Когда отремонтируют дорогу на улице {i % 300}?;01.12.2026 10:{i % 60:02d};8701{i:07d}" for i in range(rows)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1251"))
    return path


def make_xlsx(path: Path, rows: int) -> Path:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["Реестр обращений"])
    ws.append([])
    ws.append(["№", "ФИО", "Текст обращения", "Дата", "Телефон"])
    for i in range(rows):
        ws.append([i, f"Житель {i}", f"Когда отремонтируют дорогу на улице {i % 300}?", 46357 + i / 1000, 87010000000 + i])
    wb.save(path)
    return path


async def watch(stop: asyncio.Event) -> tuple[float, float]:
    """The worst and the 99th-percentile lateness of a 10 ms sleep while the import runs."""
    late: list[float] = []
    while not stop.is_set():
        start = time.perf_counter()
        await asyncio.sleep(0.01)
        late.append(time.perf_counter() - start - 0.01)
    late.sort()
    return (late[-1], late[int(len(late) * 0.99)]) if late else (0.0, 0.0)


async def idle(seconds: float = 5.0) -> tuple[float, float]:
    """The same figure with nothing to do: the machine's own noise."""
    stop = asyncio.Event()
    task = asyncio.create_task(watch(stop))
    await asyncio.sleep(seconds)
    stop.set()
    return await task


async def measure(path: Path) -> tuple[float, float, tuple[float, float], int]:
    stop = asyncio.Event()
    watcher = asyncio.create_task(watch(stop))
    t0 = time.perf_counter()
    await preview(path)
    t1 = time.perf_counter()
    try:
        result = await import_file(path)
        count = len(result.comments)
    except FileImportError as exc:
        print(f"  refused: {exc}")
        count = 0
    t2 = time.perf_counter()
    stop.set()
    return t1 - t0, t2 - t1, await watcher, count


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    worst, p99 = await idle()
    print(f"idle event loop: 10 ms timer late by max {worst * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms")
    print(f"{'file':<8}{'rows':>9}{'preview s':>11}{'import s':>10}{'rows/s':>10}{'loop max ms':>13}{'loop p99 ms':>13}")
    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.rows:
            for kind, make in (("csv", make_csv), ("xlsx", make_xlsx)):
                path = make(Path(tmp) / f"r{rows}.{kind}", rows)
                prev, imp, blocked, count = await measure(path)
                rate = count / imp if imp and count else 0
                print(f"{kind:<8}{rows:>9}{prev:>11.2f}{imp:>10.2f}{rate:>10.0f}{blocked[0] * 1000:>13.1f}{blocked[1] * 1000:>13.1f}")


if __name__ == "__main__":
    asyncio.run(main())
