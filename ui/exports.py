"""Comparisons and answers as files analysts paste into reports: Markdown, CSV and DOCX.

Pure functions of the API's answer types and a language: the same markers ([n]) as on screen, each citation
with its lawyer-style label and its verbatim quote. Document text is written as text (a DOCX run, a CSV cell,
Markdown with its special characters escaped), never as markup.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from datetime import date

from docx import Document as DocxDocument

from core.types import Answer, Citation, Comparison, RegulationRef
from ui.i18n import UiLanguage, aspect_name, localize_label, translate

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!])")
_MARKERS = re.compile(r"\\\[(\d{1,3})\\\]")


def md_text(text: str) -> str:
    """Document text for Markdown: one line, special characters escaped, our [n] markers kept readable."""
    flat = " ".join(text.split())
    return _MARKERS.sub(r"[\1]", _MD_SPECIAL.sub(r"\\\1", flat))


def instrument_line(ref: RegulationRef) -> str:
    return ref.label + (f" — {ref.subject}" if ref.subject else "")


def citation_label(citation: Citation, lang: UiLanguage) -> str:
    page = translate("page_n", lang, page=citation.page)
    return localize_label(citation.label, lang) if citation.label else f"{citation.title}, {page}"


def _sentences(answer_sentences: Sequence[object]) -> str:
    parts = []
    for sentence in answer_sentences:
        text = getattr(sentence, "text", "")
        markers = "".join(f"[{n}]" for n in getattr(sentence, "citations", ()))
        parts.append(f"{text} {markers}".strip())
    return " ".join(parts)


def _cells(comparison: Comparison) -> dict[tuple[str, str], str]:
    out = {}
    for cell in comparison.matrix:
        markers = "".join(f"[{m}]" for m in sorted({c.marker for c in cell.citations}))
        items = "; ".join(instrument_line(ref) for ref in cell.instruments)
        out[(cell.aspect, cell.city)] = f"{items} {markers}".strip() or "—"
    return out


def _filled(comparison: Comparison) -> list[str]:
    filled = {cell.aspect for cell in comparison.matrix if cell.instruments or cell.citations}
    return [aspect for aspect in comparison.aspects if aspect in filled]


def _no_evidence(name: str, lang: UiLanguage) -> str:
    return translate("compare.no_evidence", lang, city=name)


def comparison_markdown(comparison: Comparison, names: Mapping[str, str], lang: UiLanguage,
                        today: date | None = None) -> str:
    tr = lambda key, **v: translate(key, lang, **v)  # noqa: E731
    lines = [f"# {md_text(tr('export.comparison_title', topic=comparison.topic))}", ""]
    answers = {a.city: a for a in comparison.answers}
    lines += [f"## {tr('compare.answers')}", ""]
    for region in comparison.cities:
        name = names.get(region.code, region.official)
        answer = answers.get(region.code)
        body = _sentences(answer.sentences) if answer and not answer.no_evidence else _no_evidence(name, lang)
        lines += [f"### {md_text(name)}", "", md_text(body), ""]
    aspects = _filled(comparison)
    if aspects:
        cells = _cells(comparison)
        cities = [r.code for r in comparison.cities]
        lines += [f"## {tr('compare.matrix')}", ""]
        lines.append("| " + " | ".join([tr("compare.matrix_aspect"), *(md_text(names.get(c, c)) for c in cities)])
                     + " |")
        lines.append("|" + "---|" * (len(cities) + 1))
        for aspect in aspects:
            lines.append("| " + " | ".join([md_text(aspect_name(aspect, lang)), *(md_text(cells.get((aspect, c), "—"))
                                                               for c in cities)]) + " |")
        lines.append("")
    lines += _citations_markdown(comparison.citations, lang)
    lines += ["", f"_{tr('export.generated', date=(today or date.today()).isoformat())}_", ""]
    return "\n".join(lines)


def _citations_markdown(citations: Sequence[Citation], lang: UiLanguage) -> list[str]:
    if not citations:
        return []
    lines = [f"## {translate('export.citations', lang)}", ""]
    for c in citations:
        lines.append(f"{c.marker}. {md_text(citation_label(c, lang))}  ")
        lines.append(f"   > {md_text(c.quote)}")
    return lines


def answer_markdown(answer: Answer, lang: UiLanguage, today: date | None = None) -> str:
    lines = [f"# {md_text(translate('export.answer_title', lang, question=answer.question))}", ""]
    if answer.covered:
        lines += [md_text(answer.text.replace("\n\n", " ")), ""]
    else:
        lines += [translate("ask.not_covered", lang), "", md_text(answer.searched), ""]
    lines += _citations_markdown(answer.citations, lang)
    lines += ["", f"_{translate('export.generated', lang, date=(today or date.today()).isoformat())}_", ""]
    return "\n".join(lines)


def comparison_csv(comparison: Comparison, names: Mapping[str, str], lang: UiLanguage) -> str:
    """One table for a spreadsheet: a row per city answer, per matrix cell and per citation."""
    tr = lambda key, **v: translate(key, lang, **v)  # noqa: E731
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([tr("export.kind"), tr("compare.city"), tr("compare.matrix_aspect"), tr("export.text"),
                     tr("export.marker"), tr("export.label"), tr("export.quote")])
    answers = {a.city: a for a in comparison.answers}
    for region in comparison.cities:
        name = names.get(region.code, region.official)
        answer = answers.get(region.code)
        body = _sentences(answer.sentences) if answer and not answer.no_evidence else _no_evidence(name, lang)
        writer.writerow([tr("export.kind_answer"), name, "", " ".join(body.split()), "", "", ""])
    cells = _cells(comparison)
    for aspect in _filled(comparison):
        for region in comparison.cities:
            writer.writerow([tr("export.kind_matrix"), names.get(region.code, region.official),
                             aspect_name(aspect, lang), cells.get((aspect, region.code), "—"), "", "", ""])
    for c in comparison.citations:
        city = names.get(c.city or "", "") if c.city else ""
        writer.writerow([tr("export.kind_citation"), city, "", "", c.marker, citation_label(c, lang),
                         " ".join(c.quote.split())])
    return out.getvalue()


def comparison_docx(comparison: Comparison, names: Mapping[str, str], lang: UiLanguage,
                    today: date | None = None) -> bytes:
    tr = lambda key, **v: translate(key, lang, **v)  # noqa: E731
    doc = DocxDocument()
    doc.add_heading(tr("export.comparison_title", topic=comparison.topic), level=1)
    doc.add_heading(tr("compare.answers"), level=2)
    answers = {a.city: a for a in comparison.answers}
    for region in comparison.cities:
        name = names.get(region.code, region.official)
        answer = answers.get(region.code)
        doc.add_heading(name, level=3)
        body = _sentences(answer.sentences) if answer and not answer.no_evidence else _no_evidence(name, lang)
        doc.add_paragraph(" ".join(body.split()))
    aspects = _filled(comparison)
    if aspects:
        doc.add_heading(tr("compare.matrix"), level=2)
        cities = [r.code for r in comparison.cities]
        cells = _cells(comparison)
        table = doc.add_table(rows=1 + len(aspects), cols=1 + len(cities))
        table.style = "Table Grid"
        table.cell(0, 0).text = tr("compare.matrix_aspect")
        for j, code in enumerate(cities, start=1):
            table.cell(0, j).text = names.get(code, code)
        for i, aspect in enumerate(aspects, start=1):
            table.cell(i, 0).text = aspect_name(aspect, lang)
            for j, code in enumerate(cities, start=1):
                table.cell(i, j).text = cells.get((aspect, code), "—")
    if comparison.citations:
        doc.add_heading(tr("export.citations"), level=2)
        for c in comparison.citations:
            paragraph = doc.add_paragraph()
            paragraph.add_run(f"[{c.marker}] {citation_label(c, lang)}").bold = True
            doc.add_paragraph(" ".join(c.quote.split()), style="Quote")
    doc.add_paragraph().add_run(tr("export.generated", date=(today or date.today()).isoformat())).italic = True
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
