"""The PDFs the programme gives back, typeset with ReportLab (pure Python: nothing to
install beyond pip) in DejaVu Sans, shipped in `giveback/fonts` with its licence and
embedded in every file, so Cyrillic prints on any machine. QR codes by segno.

Each function renders in the language it is given (`translation.override`): the
interface's words are translated, the content is shown in English where it has an English
version and that language is English, else in the edition's own language."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import segno
from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    Image,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from scoring.enums import ranking_method_description

from .selectors import BookletData, Certificate, FeedbackReport

FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"
ACCENT = colors.HexColor("#0b4f8a")


@cache
def _fonts() -> None:
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONTS / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR,
                                  boldItalic=BOLD)


@cache
def _styles() -> dict[str, ParagraphStyle]:
    _fonts()
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=10, leading=14, spaceAfter=6)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10,
                                textColor=colors.HexColor("#555555")),
        "h1": ParagraphStyle("h1", parent=body, fontName=BOLD, fontSize=20, leading=26,
                             spaceAfter=12, textColor=ACCENT),
        "h2": ParagraphStyle("h2", parent=body, fontName=BOLD, fontSize=14, leading=19,
                             spaceBefore=8, spaceAfter=6, textColor=ACCENT),
        "h3": ParagraphStyle("h3", parent=body, fontName=BOLD, fontSize=11, leading=15,
                             spaceBefore=6, spaceAfter=3),
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER, fontSize=12,
                                 leading=17),
        "title": ParagraphStyle("title", parent=body, fontName=BOLD, alignment=TA_CENTER,
                                fontSize=28, leading=36, spaceAfter=16, textColor=ACCENT),
        "big": ParagraphStyle("big", parent=body, fontName=BOLD, alignment=TA_CENTER,
                              fontSize=18, leading=24, spaceAfter=8),
    }


def text(value) -> str:
    """Plain text as a paragraph's markup: escaped, line breaks kept."""
    return escape(str(value or "")).replace("\n", "<br/>")


def para(value, style: str = "body", markup: bool = False) -> Paragraph:
    return Paragraph(value if markup else text(value), _styles()[style])


def score_text(value: float | None) -> str:
    return "–" if value is None else formats.number_format(value, 2)


def qr_image(url: str, size: float = 32 * mm) -> Image:
    """The QR code of `url` as a PNG image in the page (a decoder reads it back)."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=8, border=4)
    buffer.seek(0)
    return Image(buffer, width=size, height=size)


class _Document(BaseDocTemplate):
    """A document with one page template; `on_page(number)` is told of every page."""

    def __init__(self, target, *, pagesize=A4, title: str = "", language: str = "",
                 on_page: Callable[[int], None] | None = None, footer: str = ""):
        super().__init__(target, pagesize=pagesize, title=title, author=footer,
                         lang=language, leftMargin=20 * mm, rightMargin=20 * mm,
                         topMargin=18 * mm, bottomMargin=18 * mm)
        self._on_page = on_page
        self._footer = footer
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate("page", [frame], onPage=self._decorate)])

    def _decorate(self, canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(colors.HexColor("#666666"))
        canvas.drawString(self.leftMargin, 10 * mm, self._footer)
        canvas.drawRightString(self.pagesize[0] - self.rightMargin, 10 * mm, str(doc.page))
        canvas.restoreState()

    def afterPage(self) -> None:  # noqa: N802 - ReportLab's hook
        if self._on_page is not None:
            self._on_page(self.page)


# --- the feedback report ------------------------------------------------------------------
def feedback_pdf(report: FeedbackReport, *, language: str) -> bytes:
    with translation.override(language):
        buffer = io.BytesIO()
        edition, practice = report.edition, report.practice
        story = [
            para(_("Feedback report"), "h1"),
            para(edition.display_title, "h3"),
            para(_("Practice") + f": {practice.display_title}"),
            para(_("Municipality") + f": {practice.municipality.display_name}"),
            para(_("Thematic area") + f": {report.area or report.entry.area}"),
            para(_("Result") + f": {report.standing}", "h2"),
        ]
        if report.total is not None:
            story.append(para(_("Total") + f": {score_text(report.total)} "
                              f"({report.scale[0]}–{report.scale[1]})"))
        story.append(para(_("Per criterion"), "h2"))
        for row in report.criteria:
            weight = formats.number_format(row.criterion.weight, 2)
            block = [para(f"{row.criterion.display_title} (" + _("weight") + f" {weight})",
                          "h3"),
                     para(_("Score") + f": {score_text(row.score)}"
                          + (f" · {row.band_label}" if row.band else ""))]
            if row.level is not None:
                block.append(para(_("Level reached") + f": {row.level.score} – "
                                  f"{row.level.text}"))
            if row.next_level is not None:
                block.append(para(_("The next level asks") + f": {row.next_level.score} – "
                                  f"{row.next_level.text}"))
            block.extend(para(f"“{comment}”") for comment in row.comments)
            story.append(KeepTogether(block))
        story.append(para(_("The jury's overall feedback"), "h2"))
        story.extend(para(comment)
                     for comment in report.overall or [_("The jury left no overall feedback.")])
        story.append(Spacer(1, 6 * mm))
        story.append(para(_("This report is private to the municipality's officers. It "
                            "gives the entry's own scores and where they stand in the "
                            "thematic area, never another entry's."), "small"))
        _Document(buffer, title=str(_("Feedback report")), language=language,
                  footer=edition.display_title).build(story)
        return buffer.getvalue()


# --- certificates -------------------------------------------------------------------------
def _certificate_page(certificate: Certificate) -> list:
    entry = certificate.entry
    signatories = certificate.signatories
    story = [
        Spacer(1, 4 * mm),
        para(_("Certificate"), "title"),
        para(certificate.edition.display_title, "big"),
        para(_("is awarded to"), "center"),
        para(entry.practice.municipality.display_name, "big"),
        para(_("for the practice"), "center"),
        para(f"“{entry.practice.display_title}”", "big"),
        para(_("Special mention in the thematic area %(area)s")
             % {"area": certificate.area or entry.area} if certificate.mention
             else _("Place %(place)s in the thematic area %(area)s")
             % {"place": certificate.place, "area": certificate.area or entry.area}, "center"),
        para(formats.date_format(certificate.date, "DATE_FORMAT"), "center"),
        Spacer(1, 6 * mm),
    ]
    if signatories:
        cells = [[para(f"<b>{text(s.localized('name'))}</b><br/>{text(s.localized('role'))}",
                       "center", markup=True) for s in signatories]]
        story.append(Table(cells, colWidths=[230 * mm / len(signatories)] * len(signatories)))
    verify = Table([[qr_image(certificate.verification_url, 28 * mm),
                     para(text(_("Verify this certificate at")) + "<br/>"
                          + text(certificate.verification_url), "small", markup=True)]],
                   colWidths=[34 * mm, 150 * mm])
    verify.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story += [Spacer(1, 4 * mm), verify]
    return story


def certificate_languages(certificate: Certificate) -> list[str]:
    """The edition's language, then English (once when they are the same)."""
    own = certificate.edition.language or "en"
    return [own] if own.startswith("en") else [own, "en"]


def certificate_pdf(certificate: Certificate) -> bytes:
    """One page in the edition's language and one in English."""
    buffer = io.BytesIO()
    story: list = []
    for index, language in enumerate(certificate_languages(certificate)):
        with translation.override(language):
            if index:
                story.append(PageBreak())
            story += _certificate_page(certificate)
    _Document(buffer, pagesize=landscape(A4), title="Certificate",
              language=certificate.edition.language, footer="").build(story)
    return buffer.getvalue()


def certificates_zip(certificates: Iterable[Certificate]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            archive.writestr(certificate.filename, certificate_pdf(certificate))
    return buffer.getvalue()


# --- the booklet --------------------------------------------------------------------------
def _photo(photo, width: float, height: float) -> Image | None:
    try:
        path = photo.image.path
        if not Path(path).exists():
            return None
        ratio = (photo.height / photo.width) if photo.width and photo.height else 0.66
        w = width
        h = w * ratio
        if h > height:
            h, w = height, height / ratio
        return Image(path, width=w, height=h, lazy=2)
    except (ValueError, NotImplementedError, OSError):
        return None


def booklet_pdf(data: BookletData, *, language: str, target,
                on_page: Callable[[int], None] | None = None) -> int:
    """Typeset the booklet into `target` (a path or a file); returns its number of pages."""
    with translation.override(language):
        edition, setup = data.edition, data.setup
        story: list = [
            Spacer(1, 60 * mm),
            para(edition.display_title, "title"),
            para(edition.year_label, "big"),
            para(_("The winning practices"), "center"),
            PageBreak(),
            para(_("Introduction"), "h1"),
        ]
        introduction = data.introduction.localized("text") if data.introduction else ""
        story.append(para(introduction or edition.localized("call_text")))
        story += [PageBreak(), para(_("Thematic areas"), "h1")]
        for area in sorted(setup.areas, key=lambda a: (a.order, a.code)):
            story.append(para(str(area), "h3"))
            description = area.localized("description")
            if description:
                story.append(para(description))
        story.append(para(_("Criteria"), "h1"))
        rows = [[para(_("Criterion"), "h3"), para(_("Weight"), "h3")]]
        rows += [[para(criterion.display_title), para(formats.number_format(criterion.weight,
                                                                            2))]
                 for criterion in setup.criteria]
        table = Table(rows, colWidths=[130 * mm, 30 * mm])
        table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, 0), 0.5, ACCENT),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(table)
        for area in data.areas:
            for item in area.practices:
                practice = item.practice
                story += [PageBreak(), para(str(area.area), "small"),
                          para(_("Place %(place)s") % {"place": item.place}, "h2"),
                          para(practice.display_title, "h1"),
                          para(practice.municipality.display_name, "h3")]
                if item.photo is not None:
                    image = _photo(item.photo, 170 * mm, 80 * mm)
                    if image is not None:
                        story.append(image)
                story += [para(_("Summary"), "h3"), para(practice.localized("summary"))]
                if practice.actions:
                    story += [para(_("What was done"), "h3"), para(practice.actions)]
                if practice.results:
                    story += [para(_("Results"), "h3"), para(practice.results)]
        story += [PageBreak(), para(_("Participating municipalities"), "h1"),
                  para(", ".join(sorted((m.display_name for m in data.municipalities),
                                        key=str.casefold)))]
        story += [para(_("How the jury decided"), "h1"), para(
            _("Each entry was scored by at least %(min)s jurors on every criterion, on a "
              "scale of %(low)s to %(high)s.") % {"min": setup.min_sheets,
                                                  "low": setup.scale[0],
                                                  "high": setup.scale[1]}
            + " " + ranking_method_description(data.run.method) + " "
            + _("Within each thematic area the entries were ranked by their total; the "
                "places went to the first ranks."))]
        document = _Document(target, title=str(edition.display_title), language=language,
                             on_page=on_page, footer=str(edition.display_title))
        document.build(story)
        return document.page
