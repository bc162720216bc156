"""Uploaded CSV and JSONL files as streams: the checks before queueing, chunk boundaries, and a chunk's rows."""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import BinaryIO, Protocol

from django.conf import settings

from reviews.spreadsheets import FORMULA_TRIGGERS, csv_safe

from .models import FileFormat

EXTENSIONS = {".csv": FileFormat.CSV, ".jsonl": FileFormat.JSONL, ".ndjson": FileFormat.JSONL}
# Lines (not rows: a quoted CSV cell may span lines) longer than this are refused: a file with no line
# breaks would otherwise be read into memory whole.
MAX_LINE_BYTES = 1024 * 1024
SNIFF_BYTES = 64 * 1024
BINARY_SIGNATURES = (b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0", b"\x1f\x8b", b"\x89PNG")


class FileProblem(ValueError):
    """The upload cannot be a job; the message says why in words the uploader can act on."""

    def __init__(self, message: str, code: str = "invalid_file"):
        self.code = code
        super().__init__(message)


@dataclass(frozen=True)
class Boundary:
    start: int  # byte offset of the chunk's first line
    end: int  # byte offset just after its last row
    first_row: int  # 0-based data-row number
    rows: int


@dataclass
class Inspection:
    file_format: str
    delimiter: str
    columns: list[str]
    total: int = 0
    boundaries: list[Boundary] = field(default_factory=list)


@dataclass(frozen=True)
class Row:
    cells: list[str]  # the input columns, in input order
    text: str | None  # what to classify; None when `error` says why not
    error: str = ""
    raw: str | None = None  # the record's CSV text, when it can be copied to the results as it is
    size: int = 0  # the record's bytes in the upload
    written: str = ""  # the input cells as the results hold them (CSV, no line end), before the verdict columns


def inspect(file: BinaryIO, *, filename: str, column: str, chunk_rows: int, max_rows: int) -> Inspection:
    """Check a whole upload in one streaming pass and cut it into chunks of `chunk_rows` rows; FileProblem if bad."""
    file_format = EXTENSIONS.get(PurePath(filename or "").suffix.lower())
    if file_format is None:
        raise FileProblem(
            "The file is not CSV or JSONL: upload a .csv file (with a header) or a .jsonl file.", "unsupported_file"
        )
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    if not head.strip():
        raise FileProblem("The file is empty.", "empty_file")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem("The file is UTF-16 text; save it as CSV UTF-8 (or JSONL in UTF-8).", "undecodable")
    # A NUL in a review is a bad row; NULs everywhere (a tenth of the bytes) are a binary file.
    if head.startswith(BINARY_SIGNATURES) or head.count(b"\x00") * 10 > len(head):
        raise FileProblem(
            "The file is not CSV or JSONL text (it looks like a spreadsheet, archive or other binary file); "
            "save it as CSV (UTF-8) first.",
            "unsupported_file",
        )
    delimiter = _sniff_delimiter(head) if file_format == FileFormat.CSV else ","
    inspection = Inspection(file_format=file_format, delimiter=delimiter, columns=[])
    records = _records(file, file_format, start=0, delimiter=delimiter)
    try:
        header_end, first, _ = next(records, (0, None, None))
        if first is None:
            raise FileProblem("The file is empty.", "empty_file")
        if file_format == FileFormat.CSV:
            inspection.columns = [name.strip() for name in first]
            chunk_start, data = header_end, records
            end_of_last = header_end
        else:
            if not isinstance(first, dict):
                raise FileProblem("The first line is not a JSON object: a JSONL file holds one object per line.")
            inspection.columns = list(first)
            chunk_start, data = 0, itertools.chain([(header_end, first, None)], records)
            end_of_last = 0
        if len(inspection.columns) > settings.JOBS_MAX_COLUMNS:
            kind = "columns" if file_format == FileFormat.CSV else "fields"
            raise FileProblem(
                f"The file has {len(inspection.columns):,} {kind}; a job takes at most {settings.JOBS_MAX_COLUMNS}: "
                "keep the text and the few you need.",
                "too_many_columns",
            )
        if column not in inspection.columns:
            kind = "column" if file_format == FileFormat.CSV else "field"
            names = ", ".join(inspection.columns[:20]) or "(none)"
            raise FileProblem(f"No {kind} named {column!r} in the file; it has: {names}.", "no_such_column")
        position = chunk_start
        for position, record, _ in data:
            size, end_of_last = position - end_of_last, position
            inspection.total += 1
            if inspection.total > max_rows:
                raise FileProblem(f"The file has more than {max_rows:,} rows, the most one job takes.", "too_many_rows")
            _check_padding(record, inspection.columns, size, inspection.total)
            if inspection.total % chunk_rows == 0:
                inspection.boundaries.append(_boundary(chunk_start, position, inspection.total, chunk_rows))
                chunk_start = position
    except UnicodeDecodeError as exc:
        raise FileProblem(
            "The file is not UTF-8 text: it has undecodable bytes. Save it as CSV UTF-8 (or JSONL in UTF-8).",
            "undecodable",
        ) from exc
    except csv.Error as exc:
        raise FileProblem(
            f"The file is not valid CSV at data row {inspection.total + 1:,}: {_csv_reason(exc)}."
        ) from None
    remainder = inspection.total % chunk_rows
    if remainder:
        inspection.boundaries.append(_boundary(chunk_start, position, inspection.total, remainder))
    if inspection.total == 0:
        raise FileProblem("The file has a header but no rows.", "empty_file")
    return inspection


def _csv_reason(error: csv.Error) -> str:
    reason = str(error)
    if reason == "unexpected end of data":
        return "a quoted cell is never closed (a quote opens it and the file ends first)"
    if "expected after" in reason:
        return 'text follows a closing quote (write a quote inside a quoted cell as "")'
    return reason


def _missing_fields(record, columns: list[str]) -> int:
    """The header's fields a record leaves out: the results pad them with empty cells."""
    if isinstance(record, list):
        return max(len(columns) - len(record), 0)
    if isinstance(record, dict):
        return sum(name not in record for name in columns)
    return len(columns)  # a line that is not a JSON object: all its cells are empty


def _check_padding(record, columns: list[str], size: int, number: int) -> None:
    """A row may leave out at most as many fields as it has bytes: padded, its cells stay within twice its size."""
    missing = _missing_fields(record, columns)
    if missing > size:
        raise FileProblem(
            f"Row {number:,} leaves out {missing:,} of the header's {len(columns):,} fields in {size:,} bytes: "
            "its results would be mostly empty cells. Fill in the fields or drop the columns it does not use.",
            "short_row",
        )


def _boundary(start: int, end: int, rows_so_far: int, rows: int) -> Boundary:
    return Boundary(start=start, end=end, first_row=rows_so_far - rows, rows=rows)


def _sniff_delimiter(head: bytes) -> str:
    """Comma, unless the header line has none and has semicolons (Excel in many locales) or tabs."""
    header = head.split(b"\n", 1)[0]
    if b"," in header:
        return ","
    if b";" in header:
        return ";"
    return "\t" if b"\t" in header else ","


def _lines(file: BinaryIO, start: int, end: int | None) -> Iterator[tuple[int, str]]:
    """(offset after the line, the line as text) from byte `start` up to byte `end`; strict UTF-8."""
    if end is not None:
        yield from _chunk_lines(file, start, end)
        return
    file.seek(start)
    position = start
    while True:
        line = file.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            raise FileProblem(f"A line near byte {position} is longer than {MAX_LINE_BYTES:,} bytes.", "line_too_long")
        if position == 0 and line.startswith(b"\xef\xbb\xbf"):
            text = line[3:].decode("utf-8")  # the byte-order mark Excel writes
        else:
            text = line.decode("utf-8")
        position += len(line)
        yield position, text


def _chunk_lines(file: BinaryIO, start: int, end: int) -> Iterator[tuple[int, str]]:
    """The same for one chunk, read and decoded in one go (a chunk is JOBS_CHUNK_ROWS rows: bounded)."""
    file.seek(start)
    text = file.read(end - start).decode("utf-8")
    position, cut = start, 0
    while cut < len(text):
        newline = text.find("\n", cut)
        line = text[cut:] if newline < 0 else text[cut : newline + 1]
        cut += len(line)
        position += len(line.encode("utf-8")) if not line.isascii() else len(line)
        yield position, line


def _records(file: BinaryIO, file_format: str, *, start: int, delimiter: str, end: int | None = None):
    """(offset after the record, record, its text) for each non-blank record: a list of cells (CSV) or a parsed
    line (JSONL, whose text is None)."""
    if file_format == FileFormat.JSONL:
        for position, line in _lines(file, start, end):
            if line.strip():
                yield position, _parse_json(line), None
        return
    offset = start
    lines: list[str] = []

    def texts() -> Iterator[str]:
        nonlocal offset
        for offset, text in _lines(file, start, end):  # noqa: B007 (read below, after each record)
            lines.append(text)
            yield text

    # csv.reader pulls one line at a time and yields a record as soon as its last line is read, so the
    # offset of the last line read is where the record ends (a chunk can start at any record), and the
    # lines read since the last record are its text.
    # Strict: an unclosed quote or text after a closing quote is an error, never a cell read up to the end of the file.
    for record in csv.reader(texts(), delimiter=delimiter, strict=True):
        raw = "".join(lines).rstrip("\r\n")
        lines.clear()
        if record:
            yield offset, record, raw


class _BadJSON:
    def __init__(self, reason: str):
        self.reason = reason


def _parse_json(line: str):
    try:
        return json.loads(line)
    except (ValueError, RecursionError):
        return _BadJSON("not valid JSON")


class Layout(Protocol):
    """How an upload is laid out: its Inspection, or the Job that keeps these fields of it."""

    file_format: str
    delimiter: str
    columns: list[str]


def read_chunk(file: BinaryIO, layout: Layout, *, column: str, start: int, end: int) -> Iterator[Row]:
    """The rows of one chunk, each with its input cells and the text to classify or the reason it is not."""
    file_format, delimiter, columns = layout.file_format, layout.delimiter, layout.columns
    index = columns.index(column)
    previous = start
    for position, record, raw in _records(file, file_format, start=start, delimiter=delimiter, end=end):
        size, previous = position - previous, position
        if file_format == FileFormat.CSV:
            row = _csv_row(record, columns, index)
            # A well-formed comma-separated record is copied to the results as it came, not re-quoted, unless a
            # cell would run as a formula in a spreadsheet.
            copy = delimiter == "," and len(record) == len(columns) and not _has_formula(record)
            yield _written(Row(row.cells, row.text, row.error, raw if copy else None, size))
        else:
            row = _json_row(record, columns, column)
            yield _written(Row(row.cells, row.text, row.error, None, size))


def _has_formula(cells: list[str]) -> bool:
    return any(cell.startswith(FORMULA_TRIGGERS) for cell in cells)


def _written(row: Row) -> Row:
    """The row with the text of its input cells in the results: as it came, or re-written with formulas defused;
    never more than twice the record's size (a row that would be is recorded with empty cells and an error)."""
    if row.raw is not None:
        written = row.raw
    else:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="").writerow([csv_safe(cell) for cell in row.cells])
        written = buffer.getvalue()
    if (len(written) if written.isascii() else len(written.encode("utf-8"))) > 2 * row.size:
        error = row.error or "the row is too large to copy into the results: its cells are left empty"
        return Row([""] * len(row.cells), None, error, None, row.size, "," * (len(row.cells) - 1))
    return Row(row.cells, row.text, row.error, row.raw, row.size, written)


def _csv_row(record: list[str], columns: list[str], index: int) -> Row:
    cells = record[: len(columns)] + [""] * (len(columns) - len(record))
    if len(record) > len(columns):
        return Row(cells, None, f"the row has {len(record)} fields; the header has {len(columns)}")
    return _checked(cells, record[index] if index < len(record) else "")


def _json_row(record, columns: list[str], column: str) -> Row:
    if isinstance(record, _BadJSON) or not isinstance(record, dict):
        return Row([""] * len(columns), None, record.reason if isinstance(record, _BadJSON) else "not a JSON object")
    cells = [_cell(record.get(name)) for name in columns]
    text = record.get(column)
    if text is not None and not isinstance(text, str):
        return Row(cells, None, f"{column!r} is not a string")
    try:
        (text or "").encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a \ud800 escape (strict UTF-8 decoding never makes one)
        return Row(cells, None, "text is not valid Unicode")
    return _checked(cells, text or "")


def _cell(value) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text.encode("utf-8", "replace").decode("utf-8")  # a lone surrogate from a \ud800 escape


def _checked(cells: list[str], text: str) -> Row:
    """The same rules as a review typed on the site; a bad text is recorded, never a reason to fail the job."""
    if not text.strip():
        return Row(cells, None, "empty text")
    if len(text) > settings.REVIEW_MAX_CHARS:
        return Row(cells, None, f"text longer than {settings.REVIEW_MAX_CHARS} characters")
    if "\x00" in text:
        return Row(cells, None, "text contains a NUL character")
    return Row(cells, text)
