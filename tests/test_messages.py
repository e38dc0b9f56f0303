"""The API's own sentences in Indonesian and English: every message in both, the language read from a request."""

from __future__ import annotations

import re

import pytest

from api.messages import MESSAGES, language_of, message


def test_every_api_message_exists_in_both_languages_with_the_same_placeholders() -> None:
    for key, entry in MESSAGES.items():
        assert set(entry) == {"id", "en"} and all(entry.values()), key
        placeholders = [set(re.findall(r"(?<!{){(\w+)}", entry[lang])) for lang in ("id", "en")]
        assert placeholders[0] == placeholders[1], key


@pytest.mark.parametrize(("header", "explicit", "expected"), [
    (None, None, "en"),
    ("id-ID,id;q=0.9,en;q=0.8", None, "id"),
    ("en-US,en;q=0.9,id;q=0.5", None, "en"),
    ("fr-FR,fr;q=0.9,id;q=0.4", None, "id"),  # French is not ours: the next language we speak
    ("in", None, "id"),  # the withdrawn code older Android browsers still send
    ("id;q=0, en;q=0.1", None, "en"),  # q=0 means "not this one"
    ("en;q=0.5, id;q=0.8", None, "id"),
    ("garbage;;,", None, "en"),
    ("en", "id", "id"),  # a lang field wins over the header
    ("id", "xx", "id"),  # an unknown lang field is ignored
])
def test_language_is_read_from_the_lang_field_then_accept_language(header, explicit, expected) -> None:
    assert language_of(header, explicit) == expected


def test_refusal_reads_plainly_in_both_languages() -> None:
    english = message("answer.not_covered", "en")
    assert english.startswith("The corpus does not cover this question") and "sufficient" not in english
    assert message("answer.not_covered", "id").startswith("Korpus tidak mencakup pertanyaan ini")
    assert message("searched.query", "id", question="banjir") == "Korpus ditelusuri untuk “banjir”"
