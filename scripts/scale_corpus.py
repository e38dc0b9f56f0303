"""A deterministic scale corpus made from the sample papers, for the benchmark.

Each generated document recombines paragraphs of the sample papers of one language, names other real kota and
kabupaten (from the gazetteer) wherever the source named a city, and carries other regulation numbers, so that
thousands of documents exercise the pipeline (cleaning, city and regulation annotation, chunking) with text of
the real kind while no two documents are alike. Document ``i`` depends only on the seed and ``i``, never on
how many documents are asked for, so a slice of a large corpus is the start of it.

Usage: ``.venv/bin/python scripts/scale_corpus.py OUT_DIR --count 1000 [--seed 7]``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from core.gazetteer import Gazetteer  # noqa: E402
from core.types import Language, Region  # noqa: E402

DEFAULT_SEED = 7
MIN_PARAGRAPH_CHARS = 150
PARAGRAPHS_PER_DOC = (6, 16)
SECTION_HEADINGS: dict[str, tuple[str, ...]] = {
    "en": ("ABSTRACT", "INTRODUCTION", "METHOD", "RESULTS AND DISCUSSION", "CONCLUSION"),
    "id": ("ABSTRAK", "PENDAHULUAN", "METODE", "HASIL DAN PEMBAHASAN", "KESIMPULAN"),
}
TITLES: dict[str, str] = {
    "en": "Digital governance in {official}: case study {index}",
    "id": "Tata kelola digital di {official}: studi kasus {index}",
}
# "Nomor 31 Tahun 2020", "Number 95 of 2018", "No. 8 of 2024" and the short "31/2020".
_LONG_REF = re.compile(r"\b(Nomor|Number|No\.?)(\s*)(\d{1,4})(\s+(?:Tahun|of|Year)\s+)((?:19|20)\d{2})\b",
                       re.IGNORECASE)
_SHORT_REF = re.compile(r"(?<![\w/.])(\d{1,3})/((?:19|20)\d{2})(?![\w/])")
_SENTENCE_END = re.compile(r"[.!?:;)\]\"”]\s*$")


def paragraphs_of(text: str) -> list[str]:
    """Paragraphs of an extracted paper: blocks between blank lines, with a block that stops mid-sentence joined
    to the next (PDF extraction puts blank lines inside sentences), whitespace runs collapsed."""
    merged: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        block = " ".join(block.split())
        if not block:
            continue
        if merged and not _SENTENCE_END.search(merged[-1]):
            merged[-1] = f"{merged[-1]} {block}"
        else:
            merged.append(block)
    return [p for p in merged if len(p) >= MIN_PARAGRAPH_CHARS]


def paper_languages(documents_dir: Path) -> dict[Path, Language]:
    """The sample papers and their language, from the curator's manifest."""
    manifest = json.loads((documents_dir / "manifest.json").read_text(encoding="utf-8"))
    out: dict[Path, Language] = {}
    for row in manifest["documents"]:
        if row.get("doc_type") == "paper" and row["file"].endswith(".txt"):
            out[documents_dir / row["file"]] = row.get("language") or "en"
    return out


def _bare_mention_region(gazetteer: Gazetteer, name: str) -> Region | None:
    mentions = gazetteer.city_mentions(name)
    if len(mentions) == 1 and mentions[0].surface == name:
        return mentions[0].region
    return None


def replacement_pool(gazetteer: Gazetteer, exclude: set[str]) -> dict[str, list[Region]]:
    """Kota and kabupaten whose bare name, written alone, is read back as that very region (so a swapped
    "Balikpapan" → "Kediri" is still found by the pipeline), minus the regions the sources name."""
    pool: dict[str, list[Region]] = {"kota": [], "kabupaten": []}
    for kind, regions in pool.items():
        for region in sorted(gazetteer.regions(kind), key=lambda r: r.code):
            found = _bare_mention_region(gazetteer, region.name)
            if region.code not in exclude and found is not None and found.code == region.code:
                regions.append(region)
    return pool


def _respell(surface: str, old: Region, new: Region) -> str:
    """The mention's wording with the new name in place of the old one ('Balikpapan City' → 'Kediri City')."""
    words = [re.escape(w) for w in old.name.split()]
    match = re.search(r"[\s-]*".join(words), surface, re.IGNORECASE) if words else None
    if match is None:  # an alias ('Jogja') or an English direction ('West Bandung'): say it officially
        return new.official
    name = new.name.upper() if match.group().isupper() else new.name
    return surface[: match.start()] + name + surface[match.end():]


def swap_cities(text: str, gazetteer: Gazetteer, choose: Callable[[Region], Region]) -> str:
    """Every kota/kabupaten the gazetteer finds in ``text`` renamed to ``choose(region)``; provinces stay."""
    out: list[str] = []
    last = 0
    for mention in gazetteer.city_mentions(text):
        if mention.region.kind == "provinsi":
            continue
        out.append(text[last : mention.start])
        out.append(_respell(mention.surface, mention.region, choose(mention.region)))
        last = mention.end
    out.append(text[last:])
    return "".join(out)


def vary_regulation_numbers(text: str, rng: random.Random) -> str:
    """Regulation numbers and years replaced consistently within the text (one old pair, one new pair)."""
    renumbered: dict[tuple[str, str], tuple[int, int]] = {}

    def new_pair(number: str, year: str) -> tuple[int, int]:
        key = (number.lstrip("0") or "0", year)
        if key not in renumbered:
            renumbered[key] = (rng.randint(1, 150), rng.randint(2005, 2024))
        return renumbered[key]

    def long_form(m: re.Match[str]) -> str:
        number, year = new_pair(m.group(3), m.group(5))
        return f"{m.group(1)}{m.group(2)}{number}{m.group(4)}{year}"

    def short_form(m: re.Match[str]) -> str:
        number, year = new_pair(m.group(1), m.group(2))
        return f"{number}/{year}"

    return _SHORT_REF.sub(short_form, _LONG_REF.sub(long_form, text))


def sample_documents(documents_dir: Path) -> list[Path]:
    """The sample corpus's files as the benchmarks ingest them (text and PDF), in a stable order."""
    return sorted(p for p in documents_dir.rglob("*") if p.suffix in (".txt", ".pdf"))


@dataclass(frozen=True)
class ScaleCorpus:
    """``document(i)`` is the text of scale document ``i``; ``write(folder, count)`` saves the first ``count``."""

    paragraphs: dict[str, tuple[str, ...]]
    pool: dict[str, list[Region]]
    gazetteer: Gazetteer
    seed: int = DEFAULT_SEED

    @classmethod
    def from_documents(cls, documents_dir: Path, seed: int = DEFAULT_SEED,
                       gazetteer: Gazetteer | None = None) -> ScaleCorpus:
        gazetteer = gazetteer or Gazetteer.default()
        paragraphs: dict[str, list[str]] = {}
        named: set[str] = set()
        for path, language in sorted(paper_languages(documents_dir).items()):
            text = path.read_text(encoding="utf-8")
            paragraphs.setdefault(language, []).extend(paragraphs_of(text))
            named.update(m.region.code for m in gazetteer.city_mentions(text))
        return cls({k: tuple(v) for k, v in sorted(paragraphs.items())}, replacement_pool(gazetteer, named),
                   gazetteer, seed)

    def document(self, index: int) -> str:
        rng = random.Random(f"banding-kota-scale:{self.seed}:{index}")
        language = rng.choice(sorted(self.paragraphs))
        source = self.paragraphs[language]
        chosen = rng.sample(source, min(len(source), rng.randint(*PARAGRAPHS_PER_DOC)))
        homes = {kind: rng.choice(regions) for kind, regions in self.pool.items()}
        renamed: dict[str, Region] = {}

        def choose(region: Region) -> Region:
            if region.code not in renamed:
                # The first city of each kind becomes the document's home; later ones get other cities.
                kind = region.kind if region.kind in self.pool else "kota"
                taken = any(r.kind == kind for r in renamed.values())
                renamed[region.code] = rng.choice(self.pool[kind]) if taken else homes[kind]
            return renamed[region.code]

        body = [vary_regulation_numbers(swap_cities(p, self.gazetteer, choose), rng) for p in chosen]
        home = next(iter(renamed.values()), homes["kota"])
        headings = SECTION_HEADINGS[language]
        blocks = [TITLES[language].format(official=home.official, index=index)]
        per_section = max(1, -(-len(body) // len(headings)))
        for n, paragraph in enumerate(body):
            if n % per_section == 0:
                blocks.append(headings[min(n // per_section, len(headings) - 1)])
            blocks.append(paragraph)
        return "\n\n".join(blocks) + "\n"

    def write(self, folder: Path, count: int, start: int = 0) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for index in range(start, start + count):
            path = folder / f"scale_{index:05d}.txt"
            path.write_text(self.document(index), encoding="utf-8")
            paths.append(path)
        return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--documents", type=Path, default=PROJECT_ROOT / "documents")
    args = parser.parse_args(argv)
    paths = ScaleCorpus.from_documents(args.documents, args.seed).write(args.out_dir, args.count)
    print(f"wrote {len(paths)} documents to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
