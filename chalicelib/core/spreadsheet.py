"""The CSV cell guard: text a partner or player chose, made safe to open in a
spreadsheet (no formula runs). Shared by bulk's error reports and insights' exports."""

from __future__ import annotations

# ------------------------------------------------------------------- exports

_FORMULA = ("=", "+", "-", "@", "\t", "\r", "\n",
            "\uff1d", "\uff0b", "\uff0d", "\uff20")  # and their full-width forms
# Characters a spreadsheet skips before it looks for a formula sign: every Unicode
# space (str.isspace: no-break, ideographic, en/em spaces...) and the invisible ones
# isspace() does not cover (zero-width space and joiners, word joiner, BOM).
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u180e"


def spreadsheet_cell(value: str | None) -> str:
    """Free text a spreadsheet could run as a formula is prefixed with a quote.

    Why after stripping: `" =1+1"` and `"\\u00a0=2+2"` (allowed text in a JSON
    batch) are formulas to Excel and LibreOffice, which ignore leading spaces."""
    if not value:
        return ""
    start = 0
    while start < len(value) and (value[start].isspace() or value[start] in _INVISIBLE):
        start += 1
    return "'" + value if value[start:].startswith(_FORMULA) else value
