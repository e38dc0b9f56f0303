"""Tell Indonesian from English text.

A function-word classifier rather than a library: the corpus has exactly two languages, and
the words every sentence needs ("yang", "dan", "di", "untuk" / "the", "of", "and", "is") decide
between them after a handful of words, even through OCR noise. The maintained option,
lingua-language-detector, is accurate but its wheel is ~96 MB (all languages' models), a heavy
dependency for a two-way choice. Word endings and prefixes ("-kan", "-nya", "meng-" / "-tion",
"-ing", "th") break ties on text with no function words, such as titles. Mixed text goes to the
language with more evidence; text with none (numbers, names) is called Indonesian, the language
of most documents this service holds.
"""

from __future__ import annotations

import re

from core.types import Language

# Long texts are judged on samples: evidence saturates long before 60,000 characters.
SAMPLE_CHARS = 20_000
FUNCTION_WORD_WEIGHT = 3


def _words(listing: str) -> frozenset[str]:
    return frozenset(listing.split())


_INDONESIAN = _words(
    "yang dan di ke dari dengan untuk pada dalam ini itu adalah tidak akan oleh atau juga serta sebagai "
    "tersebut bahwa dapat karena telah sudah belum ada bagi secara antara kepada terhadap yaitu maka jika "
    "apabila sehingga namun tetapi para agar sesuai setiap melalui masih lebih sangat hanya tentang nomor "
    "tahun kami kita mereka dia ia saya sebuah suatu seperti oleh dimana merupakan menjadi memiliki "
    "belum harus paling sedikit ayat huruf pasal bab bagian dimaksud sebagaimana daerah kota kabupaten "
    "pemerintah masyarakat pelayanan informasi terkait berbagai beberapa dilakukan yakni adanya"
)
_ENGLISH = _words(
    "the of and to in is that for on with as by are this be from at or an was were which it its has have "
    "not but their these those can will would should also been such into than more between through how "
    "what who whom they we our there here when where while because however therefore thus each other "
    "most many some only about after before under over being does did shall may might must"
)
_ID_AFFIX = re.compile(r"(?:kan|nya|lah|kah)$|^(?:meng|meny|mem|peng|peny|pem|ber|ter|di|ke)[a-z]{3,}(?:an|i)$")
_EN_AFFIX = re.compile(r"(?:tions?|ing|ly|ed|ments?|ness|ity|ies|ous|ive)$|th|sh|ee|w[hr]")
_WORD = re.compile(r"[a-z]+")


def detect_language(text: str) -> Language:
    """'id' or 'en' for a passage, a title or a whole document."""
    id_score = en_score = 0
    for word in _WORD.findall(_sample(text).lower()):
        if word in _INDONESIAN:
            id_score += FUNCTION_WORD_WEIGHT
        elif word in _ENGLISH:
            en_score += FUNCTION_WORD_WEIGHT
        elif len(word) > 3:
            id_score += bool(_ID_AFFIX.search(word))
            en_score += bool(_EN_AFFIX.search(word))
    return "en" if en_score > id_score else "id"


def _sample(text: str) -> str:
    if len(text) <= 3 * SAMPLE_CHARS:
        return text
    middle = len(text) // 2 - SAMPLE_CHARS // 2
    return " ".join((text[:SAMPLE_CHARS], text[middle : middle + SAMPLE_CHARS], text[-SAMPLE_CHARS:]))
