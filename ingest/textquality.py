"""How much of a text looks like real Indonesian or English words.

Used to decide whether a PDF's text layer is worth keeping or the page must be OCR'd. A broken
font encoding (glyph codes shifted, e.g. "PERATURAN" -> "SHUDWXUDQ"), symbol soup from a bad
OCR layer, or mojibake all score low; a scanner's OCR layer with a few misread letters
("REPUALIK", "sebageimana") still scores high, because OCR'ing it again would not do better.

No dictionary download: a compact list of frequent words (which also defines the letter pairs
that occur in the two languages) plus character-level rules for everything else.
"""

from __future__ import annotations

import re
from functools import lru_cache

from core.legal_patterns import ROMAN_NUMERAL

# Frequent Indonesian words, many from regulations, and frequent English words. Their letter
# pairs define what "pronounceable" means below, so the list mixes short and long words.
_LEXICON = """
yang dan di ke dari dalam untuk dengan pada ini itu atau tidak adalah sebagai oleh akan telah dapat
sebagaimana dimaksud ayat pasal huruf angka peraturan daerah pemerintah pemerintahan kota kabupaten
provinsi nomor tahun tentang menimbang mengingat menetapkan memutuskan wali walikota bupati gubernur
presiden republik indonesia negara undang lembaran tambahan berita informasi publik pelayanan layanan
data sistem elektronik berbasis digital aplikasi keamanan kepala dinas badan bagian bab paragraf
kesatu kedua ketiga keempat kelima keenam ketujuh kedelapan kesembilan kesepuluh satu dua tiga empat
lima enam tujuh delapan sembilan sepuluh puluh ratus ribu juta miliar perubahan atas mengenai lainnya
ketentuan umum penutup peralihan sanksi administratif pidana berlaku mulai tanggal ditetapkan
diundangkan agar setiap orang mengetahuinya memerintahkan pengundangan penempatannya salinan sesuai
aslinya sekretaris kepala biro hukum rahmat tuhan maha esa bahwa perlu rangka mewujudkan melaksanakan
pelaksanaan penyelenggaraan penyusunan perencanaan anggaran pendapatan belanja keuangan pengelolaan
kegiatan program rencana pembangunan jangka menengah panjang strategis kinerja laporan evaluasi
pengawasan pembinaan koordinasi kerja sama masyarakat warga penduduk desa kelurahan kecamatan wilayah
urusan tugas fungsi wewenang kewenangan tanggung jawab perangkat organisasi unit satuan lembaga
kementerian menteri direktur jenderal pejabat pegawai aparatur sipil jabatan struktural fungsional
pimpinan anggota ketua wakil sekretariat dewan perwakilan rakyat harga pokok analisis standar biaya
satuan lingkup kebijakan keterbukaan dokumentasi permohonan pemohon keberatan sengketa pengecualian
pengumuman berkala serta merta tersedia diumumkan disediakan dikecualikan meliputi terdiri paling
lambat hari kerja sejak diterimanya sampai hingga bulan minggu jam waktu baik secara langsung melalui
media cetak kecuali apabila jika bila maka karena sehingga namun tetapi juga pun saja hanya masih sudah
belum lebih kurang antara terhadap tersebut berdasarkan menurut kepada bagi tanpa oleh para semua
seluruh beberapa masing lain sendiri sendirinya bersama dapat harus wajib boleh dilarang perlu ada
kami kita saya mereka anda dia ia beliau nya adanya dimana ketika sebelum sesudah setelah selama
kemudian lalu akhir awal baru lama besar kecil tinggi rendah banyak sedikit utama khusus tertentu
teknis pedoman prosedur operasional mekanisme tata cara kelola penerapan penggunaan pemanfaatan
penyediaan pengembangan peningkatan percepatan transformasi keterpaduan nasional prioritas integrasi
infrastruktur jaringan pusat pusatnya arsitektur peta audit risiko kontrol efektif memadai
kompetensi sertifikat auditor pelaksana objek klien instansi perusahaan milik usaha swasta pihak
ketiga kerjasama perjanjian kontrak pengadaan barang jasa pembiayaan pendanaan sumber sah mengikat
penilaian kesesuaian akreditasi terakreditasi terdaftar pendaftaran persyaratan syarat salah
kota cerdas pintar inovasi tata kelola partisipasi transparansi akuntabilitas efisiensi efektivitas
penelitian metode hasil pembahasan kesimpulan saran pendahuluan latar belakang tujuan manfaat
kajian pustaka teori konsep variabel responden wawancara observasi dokumen studi kasus kualitatif
kuantitatif deskriptif menunjukkan menggunakan digunakan dilakukan melakukan memberikan diberikan
menjadi merupakan memiliki mempunyai terkait terhadap tingkat indeks nilai jumlah persen rata
the of and to in a is that for it as was with be by on not this are from at or have an which
has had were been their they there these those its his her he she we you our your them than then
but all any can could would should will may might must shall do does did done so such also into
more most other some only over under about after before between through during without within
upon each both either neither whether while where when what who whom whose why how here very well
government city cities regency province regional local public service services policy policies
regulation regulations law laws mayor governor president minister ministry national state article
paragraph section chapter number year years data information system systems electronic digital
smart governance development planning budget management implementation application applications
research study results method methods analysis discussion conclusion introduction abstract
table figure community participation innovation collaboration institution institutional
infrastructure technology security index score level based used using use new first second third
one two three four five six seven eight nine ten hundred thousand million percent per cent total
people citizens residents office agency department unit team members head secretary council
strategic plan program programs activity activities performance evaluation report reports
quality access open transparency accountability efficiency effectiveness integration process
however therefore although because since until unless though thus hence further furthermore
framework approach model concept theory literature review qualitative quantitative descriptive
found shows show shown showed indicate indicates provide provides provided include includes
including support supported supporting need needs needed increase increased improve improving
"""

_SPLIT_EDGES = re.compile(r"[/\-–—]")
_STRIP = ".,;:!?()[]{}\"'“”‘’«»*…•·|<>"
_LIST_MARKER = re.compile(r"^\(?[A-Za-z][.)]$")
_VOWELS = frozenset("aeiouy")
_CONSONANT_RUN = re.compile(r"[bcdfghjklmnpqrstvwxz]{5,}")
_TRIPLE = re.compile(r"(.)\1\1")
_MAX_WORD_LEN = 25
_INDONESIAN_PREFIXES = ("meng", "meny", "mem", "men", "me", "peng", "peny", "pem", "pen", "pe", "ber", "be",
                        "ter", "di", "ke", "se", "per")
_SUFFIXES = ("nya", "kan", "lah", "kah", "an", "i", "s", "es", "ed", "ing", "ly")


@lru_cache(maxsize=1)
def _lexicon() -> frozenset[str]:
    return frozenset(_LEXICON.split())


@lru_cache(maxsize=1)
def _letter_pairs() -> frozenset[str]:
    # "^" and "$" mark word edges so that odd word starts/ends ("xq...", "...dq") count too.
    pairs: set[str] = set()
    for word in _lexicon():
        padded = f"^{word}$"
        pairs.update(padded[i : i + 2] for i in range(len(padded) - 1))
    return frozenset(pairs)


def _in_lexicon(word: str) -> bool:
    lexicon = _lexicon()
    if word in lexicon:
        return True
    for suffix in ("", *_SUFFIXES):
        stem = word[: -len(suffix)] if suffix and word.endswith(suffix) else word
        if suffix and stem == word:
            continue
        if stem in lexicon:
            return True
        for prefix in _INDONESIAN_PREFIXES:
            if stem.startswith(prefix) and stem[len(prefix) :] in lexicon:
                return True
    return False


def _pronounceable(word: str) -> bool:
    """Character rules for words missing from the compact list: vowels, consonant runs, letter pairs."""
    if _TRIPLE.search(word) or _CONSONANT_RUN.search(word):
        return False
    vowels = sum(ch in _VOWELS for ch in word)
    if vowels == 0 or (len(word) >= 5 and vowels / len(word) < 0.15):
        return False
    padded = f"^{word}$"
    pairs = _letter_pairs()
    unseen = sum(padded[i : i + 2] not in pairs for i in range(len(padded) - 1))
    # One unusual pair is allowed: names and loanwords ("Kendari", "Wahyu") have them.
    return unseen <= 1


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    for raw in text.split():
        if _LIST_MARKER.match(raw):
            out.append("a")  # "a." / "b)" list markers count as words
            continue
        for part in _SPLIT_EDGES.split(raw):
            token = part.strip(_STRIP)
            if any(ch.isalpha() for ch in token):
                out.append(token)
    return out


def looks_like_word(token: str) -> bool:
    """Whether one token (punctuation already stripped) could be an Indonesian or English word."""
    if not token.isascii() or not token.isalpha() or len(token) > _MAX_WORD_LEN:
        return False
    if not (token.islower() or token.isupper() or token.istitle()):
        return False  # "berkaLa", "sEd": OCR noise
    if ROMAN_NUMERAL.match(token):
        return True  # BAB III, LAMPIRAN XIV
    if token.isupper() and 2 <= len(token) <= 6 and not _TRIPLE.search(token):
        return True  # acronyms: SPBE, DPRD, PPID, SOTK
    word = token.lower()
    if len(word) == 1:
        return word in ("a", "i")
    return _in_lexicon(word) or _pronounceable(word)


def word_share(text: str) -> float:
    """Share (0–1) of the alphabetic tokens of ``text`` that look like real words; 0.0 when there are none."""
    tokens = _tokens(text)
    if not tokens:
        return 0.0
    return sum(looks_like_word(token) for token in tokens) / len(tokens)
