"""Cells bound for CSV files that people open in spreadsheets: a cell that would run as a formula reads as text."""

# A cell starting with one of these is a formula in Excel, LibreOffice and Google Sheets
# (tab and carriage return too, per OWASP's CSV injection advice).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with a quote, so it reads as text."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
