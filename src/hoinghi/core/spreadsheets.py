"""Values written into the files offices open in Excel, kept from becoming formulas.

A name such as ``=HYPERLINK("http://…","x")`` written as is becomes a live formula in the people
export or a roster; a spreadsheet program runs it when the file is opened (OWASP's "CSV
injection"). Every exporter writes its cells through `xlsx_cell` and `csv_text`:

- in .xlsx, text starting with one of `FORMULA_STARTS` is stored as a text cell (openpyxl would
  store a string starting with "=" as a formula), so it shows exactly as typed;
- in .csv, which has no types, such text gets OWASP's leading apostrophe, which spreadsheet
  programs read as "this is text"; the importers drop it again (`csv_text_read`).
"""

from openpyxl.cell import WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def xlsx_cell(sheet, value) -> WriteOnlyCell:
    """A write-only cell holding `value`; text that looks like a formula stays text."""
    cell = WriteOnlyCell(sheet, value=value)
    if is_formula_like(value):
        cell.data_type = "s"
    return cell


def csv_text(value: str) -> str:
    """`value` for a CSV field: an apostrophe before text that a spreadsheet would evaluate."""
    return "'" + value if is_formula_like(value) else value


def csv_text_read(value: str) -> str:
    """What `csv_text` wrote, back: the apostrophe goes when it guarded a formula-like text."""
    if value.startswith("'") and is_formula_like(value[1:]):
        return value[1:]
    return value
