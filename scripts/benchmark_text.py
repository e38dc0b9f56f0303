"""Text-processing speed on the sample papers: gazetteer build, city mentions, regulation references and
cleaning, in MB/s (not part of the test suite; figures depend on the machine and its load).

    .venv/bin/python scripts/benchmark_text.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from benchmark import machine_line  # noqa: E402  (scripts/ is on the path when run as a script)

from core.gazetteer import Gazetteer  # noqa: E402
from core.types import Page  # noqa: E402
from ingest.cleaning import clean_pages  # noqa: E402
from ingest.regulations import parse_regulation_refs  # noqa: E402


def best_of(repeat: int, work: Callable[[], object]) -> float:
    """The fastest of ``repeat`` runs, in seconds: the least disturbed by whatever else the machine does."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    papers = sorted((PROJECT_ROOT / "documents" / "papers").glob("*.txt"))
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in papers)
    megabytes = len(text.encode("utf-8")) / 1e6
    gazetteer = Gazetteer.default()
    print(f"Machine: {machine_line()}")
    print(f"Text: the {megabytes:.2f} MB of the sample papers; best of {args.repeat} runs")
    build = best_of(args.repeat, Gazetteer.from_lokal)
    print(f"{'gazetteer build (514 kab/kota)':<34} {build * 1000:8.1f} ms")
    stages = {
        "city mentions": lambda: gazetteer.city_mentions(text),
        "regulation references": lambda: parse_regulation_refs(text, gazetteer),
        "cleaning (one page)": lambda: clean_pages([Page(number=1, text=text)]),
    }
    for name, work in stages.items():
        seconds = best_of(args.repeat, work)
        print(f"{name:<34} {megabytes / seconds:8.2f} MB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
