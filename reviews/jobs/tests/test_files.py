"""Reading uploads as streams: chunk boundaries at records, CSV dialects, and a 1,000,000-row file in bounded memory."""

import io
import threading
import time

import psutil
import pytest

from reviews.jobs import files
from reviews.jobs.files import FileProblem


def inspect(data: bytes, name="r.csv", column="text", chunk_rows=2, max_rows=100):
    return files.inspect(io.BytesIO(data), filename=name, column=column, chunk_rows=chunk_rows, max_rows=max_rows)


def all_rows(data: bytes, **kwargs):
    found = inspect(data, **kwargs)
    file = io.BytesIO(data)
    rows = []
    for boundary in found.boundaries:
        chunk = list(
            files.read_chunk(file, found, column=kwargs.get("column", "text"), start=boundary.start, end=boundary.end)
        )
        assert len(chunk) == boundary.rows
        rows += chunk
    return found, rows


def test_chunks_split_at_records_even_when_a_cell_spans_lines():
    data = b'\xef\xbb\xbfid,text\r\n1,"one, with a comma"\r\n2,"two\r\nlines ""quoted"""\r\n\r\n3,three\r\n4,"caf\xc3\xa9"\r\n5,five'
    found, rows = all_rows(data)
    assert found.columns == ["id", "text"] and found.total == 5
    assert [(b.first_row, b.rows) for b in found.boundaries] == [(0, 2), (2, 2), (4, 1)]
    assert [row.text for row in rows] == ["one, with a comma", 'two\r\nlines "quoted"', "three", "café", "five"]
    # Each well-formed record is copied as it came, quotes and all.
    assert [row.raw for row in rows] == [
        '1,"one, with a comma"',
        '2,"two\r\nlines ""quoted"""',
        "3,three",
        '4,"café"',
        "5,five",
    ]


def test_semicolons_and_ragged_rows():
    found, rows = all_rows(b"id;text;note\n1;good;x\n2;bad\n3;fine;y;extra\n")
    assert found.delimiter == ";" and found.columns == ["id", "text", "note"]
    assert [row.cells for row in rows] == [["1", "good", "x"], ["2", "bad", ""], ["3", "fine", "y"]]
    assert [row.error for row in rows] == ["", "", "the row has 4 fields; the header has 3"]
    assert all(row.raw is None for row in rows)  # re-written with commas
    assert [row.written for row in rows] == ["1,good,x", "2,bad,", "3,fine,y"]


def test_cells_are_copied_as_they_came_unless_a_formula_needs_defusing():
    _, rows = all_rows(b'id,text\n1,"good, really"\n2,=1+1\n-3,fine\n')
    assert [row.written for row in rows] == ['1,"good, really"', "2,'=1+1", "'-3,fine"]
    assert [row.text for row in rows] == ["good, really", "=1+1", "fine"]  # what is classified is as uploaded


def test_a_row_is_written_within_twice_its_size():
    # Re-written from a semicolon file, each ';-"' (3 bytes) becomes ',"\'-"""' (7): defused, quoted, doubled.
    _, rows = all_rows(b'text;a;b;c;d\nx;-";-";-";-"\nbad;x;y;z;w\n')
    assert rows[0].written == ",,,," and rows[0].text is None and "too large" in rows[0].error
    assert rows[1].written == "bad,x,y,z,w" and rows[1].text == "bad"
    assert all(len(row.written) <= 2 * row.size for row in rows)


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"text\ngood\n", "r.txt", "unsupported_file"),
        (b"%PDF-1.7 binary", "r.csv", "unsupported_file"),
        (b"   \n\n", "r.csv", "empty_file"),
        (b"id,text\n", "r.csv", "empty_file"),
        (b"id,review\n1,good\n", "r.csv", "no_such_column"),
        (b"text\n\x93smart quotes\x94\n", "r.csv", "undecodable"),
        (b'text\n"never closed\n' + b"x\n" * 70_000, "r.csv", "invalid_file"),
        (b"text\n" + b"x" * (files.MAX_LINE_BYTES + 10), "r.csv", "line_too_long"),
        (b'{"text": "a"}\n' * 101, "r.jsonl", "too_many_rows"),
        (b'id,text\n1,great film\n2,"awful film\n', "r.csv", "invalid_file"),  # an unclosed quote in the last row
        (b'id,text\n1,"great" film\n', "r.csv", "invalid_file"),  # text after a closing quote
        (b"text," + b",".join([b"a"] * 100) + b"\ngood\n", "r.csv", "too_many_columns"),
        (b"text," + b",".join([b"a"] * 20) + b"\ngood\n", "r.csv", "short_row"),  # 20 empty cells from 5 bytes
        (b'{"text": "a", ' + b", ".join(b'"k%d": 1' % i for i in range(100)) + b"}\n", "r.jsonl", "too_many_columns"),
    ],
)
def test_bad_files(data, name, code):
    with pytest.raises(FileProblem) as caught:
        inspect(data, name=name)
    assert caught.value.code == code, str(caught.value)


def test_jsonl_columns_come_from_the_first_object():
    found, rows = all_rows(
        b'{"text": "good", "stars": 9}\n\n{"stars": 1, "text": "bad", "extra": true}\n', name="r.jsonl"
    )
    assert found.columns == ["text", "stars"] and found.total == 2
    assert [row.cells for row in rows] == [["good", "9"], ["bad", "1"]]


def peak_growth(function) -> tuple[object, float]:
    """Run `function` while sampling this process's resident memory; (its result, the peak growth in MB)."""
    process = psutil.Process()
    before, peak, done = process.memory_info().rss, [0], threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], process.memory_info().rss)
            time.sleep(0.005)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        result = function()
    finally:
        done.set()
        sampler.join()
    return result, (max(peak[0], process.memory_info().rss) - before) / 2**20


def test_a_million_rows_are_counted_and_chunked_in_bounded_memory(tmp_path):
    rows = 1_000_000
    path = tmp_path / "big.csv"
    with open(path, "wb") as file:
        file.write(b"id,text\r\n")
        for _ in range(100):
            file.write(b'42,"A fine film, well acted; I would watch it again."\r\n' * (rows // 100))
    size_mb = path.stat().st_size / 2**20

    def read():
        with open(path, "rb") as file:
            found = files.inspect(file, filename="big.csv", column="text", chunk_rows=1000, max_rows=rows)
            last = found.boundaries[-1]
            assert (found.file_format, found.delimiter) == ("csv", ",")
            chunk = list(files.read_chunk(file, found, column="text", start=last.start, end=last.end))
        return found, chunk

    (found, chunk), growth_mb = peak_growth(read)
    assert found.total == rows and len(found.boundaries) == 1000 and len(chunk) == 1000
    assert found.boundaries[-1].end == path.stat().st_size
    # Holding the file (54 MB of bytes, more as text) would show; streaming holds a line and the boundaries.
    assert size_mb > 50 and growth_mb < 25, (size_mb, growth_mb)
