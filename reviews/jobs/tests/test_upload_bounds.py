"""An upload's cost is bounded by its size: a wide header, short rows, a bad quote and formulas cannot blow it up."""

import csv
import io
import json

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from reviews.jobs import processing, services
from reviews.jobs.models import JobStatus

from .helpers import results, run_worker
from .test_files import peak_growth

pytestmark = pytest.mark.django_db


def issue_csv(columns: int = 200_000, rows: int = 1000) -> bytes:
    """The review's CSV: 411 KB, a 200,000-column header over 1,000 short rows (488x the upload in results)."""
    header = "text," + ",".join(["a"] * (columns - 1))
    return (header + "\n" + "great film\n" * rows).encode()


def issue_jsonl(keys: int = 50_000, rows: int = 1000) -> bytes:
    """The review's JSONL: a first object with 50,000 keys, then short objects (90x the upload in results)."""
    first = json.dumps({"text": "great film", **{f"k{i}": 1 for i in range(keys - 1)}})
    return (first + "\n" + '{"text": "great film"}\n' * rows).encode()


def widest_accepted_csv(columns: int, rows: int = 1000) -> bytes:
    """As many columns as a job takes, each row leaving out as many as the limits let it."""
    header = ",".join(["text", *(f"c{i}" for i in range(columns - 1))])
    # 45 fields in 55 bytes (with the newline): it leaves out 55 of the 100, as many as it has bytes.
    line = "great film" + "," * 44
    return (header + "\n" + (line + "\n") * rows).encode()


def requoted_semicolons(rows: int = 1000) -> bytes:
    """Cells that grow when re-written with commas: commas and quotes inside, formulas to defuse."""
    return ("text;a;b\n" + 'great film;",";=1+1\n' * rows).encode()


def nested_jsonl(rows: int = 1000) -> bytes:
    """JSON values that a default json.dumps would spread out (spaces after separators) and CSV would re-quote."""
    return ('{"text":"great film","n":[1,2,3,4,5,6,7,8],"o":{"a":"b"},"f":9E15}\n' * rows).encode()


UPLOADS = {
    "issue_csv": ("wide.csv", issue_csv),
    "issue_jsonl": ("wide.jsonl", issue_jsonl),
    "widest_accepted_csv": ("widest.csv", lambda: widest_accepted_csv(100)),
    "requoted_semicolons": ("semi.csv", requoted_semicolons),
    "nested_jsonl": ("nested.jsonl", nested_jsonl),
}


def verdict_bytes(job) -> int:
    """What the verdict columns add: each row's last six cells and their separators, and the header's names."""
    with default_storage.open(job.results_name, "rb") as stored:
        reader = csv.reader(io.TextIOWrapper(stored, encoding="utf-8", newline=""))
        total = 0
        for record in reader:
            buffer = io.StringIO()
            csv.writer(buffer).writerow(record[-len(processing.OUTPUT_COLUMNS) :])
            total += len(buffer.getvalue().encode()) + 1  # and the comma before them
    return total


def upload_or_refusal(user, name: str, data: bytes):
    try:
        return services.job_create(user=user, upload=SimpleUploadedFile(name, data))
    except services.JobRefused as refused:
        return refused


@pytest.mark.parametrize("case", list(UPLOADS))
def test_results_are_at_most_twice_the_upload_plus_the_verdicts(user, served_model, case):
    name, build = UPLOADS[case]
    data = build()
    job = upload_or_refusal(user, name, data)
    if isinstance(job, services.JobRefused):
        assert case.startswith("issue_") and job.code == "too_many_columns", (job.code, str(job))
        return
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    size = default_storage.size(job.results_name)
    budget = 2 * len(data) + verdict_bytes(job)
    print(f"{case}: upload {len(data):,} B, results {size:,} B ({size / len(data):.1f}x), budget {budget:,} B")
    assert size <= budget, (size, budget)


@pytest.mark.parametrize("case", ["issue_csv", "issue_jsonl", "widest_accepted_csv", "nested_jsonl"])
def test_worker_memory_per_chunk_is_bounded(user, served_model, settings, case):
    settings.JOBS_CHUNK_ROWS = 1000  # the default: a chunk of the review's file is all of its rows
    from classifier import registry

    registry.predict(["warm the model up before measuring"])
    name, build = UPLOADS[case]
    job = upload_or_refusal(user, name, build())
    if isinstance(job, services.JobRefused):
        assert case.startswith("issue_") and job.code == "too_many_columns", (job.code, str(job))
        return
    _, growth_mb = peak_growth(run_worker)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    print(f"{case}: worker peak growth {growth_mb:.0f} MB for one chunk of {job.total} rows")
    assert growth_mb < 64, growth_mb


def test_a_wide_header_is_refused_before_anything_is_stored(user, settings):
    for name, data in (("wide.csv", issue_csv(rows=10)), ("wide.jsonl", issue_jsonl(rows=10))):
        refused = upload_or_refusal(user, name, data)
        assert isinstance(refused, services.JobRefused) and refused.code == "too_many_columns"
        assert f"{settings.JOBS_MAX_COLUMNS}" in str(refused)
    assert not default_storage.exists("jobs")


def test_short_rows_are_padded_only_within_their_own_size(user, settings):
    settings.JOBS_MAX_COLUMNS = 200_000
    refused = upload_or_refusal(user, "wide.csv", issue_csv(rows=10))
    assert isinstance(refused, services.JobRefused) and refused.code == "short_row", refused
    assert "Row 1 " in str(refused)
    refused = upload_or_refusal(user, "wide.jsonl", issue_jsonl(rows=10))
    assert isinstance(refused, services.JobRefused) and refused.code == "short_row", refused
    assert "Row 2 " in str(refused)


def test_an_unclosed_quote_refuses_the_file_naming_the_row(user):
    refused = upload_or_refusal(user, "r.csv", b'id,text\n1,great film\n2,"awful film\n')
    assert isinstance(refused, services.JobRefused) and refused.code == "invalid_file", refused
    assert "row 2" in str(refused) and "never closed" in str(refused)
    refused = upload_or_refusal(user, "r.csv", b'id,text\n1,"great" film\n')
    assert isinstance(refused, services.JobRefused) and "row 1" in str(refused)


def test_formula_cells_come_back_defused_like_the_admin_export(user, served_model):
    from reviews.admin import csv_safe

    data = (
        b"id,text,link\n"
        b'1,great film,"=HYPERLINK(""http://evil.example"",""click"")"\n'
        b"+2,-awful film,@SUM(A1)\n"
        b"3,\tgood,plain\n"
    )
    job = services.job_create(user=user, upload=SimpleUploadedFile("f.csv", data))
    run_worker()
    job.refresh_from_db()
    rows = results(job)
    assert (
        rows[0]["link"]
        == csv_safe('=HYPERLINK("http://evil.example","click")')
        == ('\'=HYPERLINK("http://evil.example","click")')
    )
    assert (rows[1]["id"], rows[1]["text"], rows[1]["link"]) == ("'+2", "'-awful film", "'@SUM(A1)")
    assert rows[2]["text"] == "'\tgood" and rows[2]["link"] == "plain"
    # The text classified is the one uploaded; only the copy in the results is defused.
    assert rows[1]["sentiment"] and rows[1]["error"] == ""


def test_formula_column_names_are_defused_too(user, served_model):
    job = services.job_create(user=user, upload=SimpleUploadedFile("f.jsonl", b'{"text": "good", "=cmd": 1}\n'))
    run_worker()
    job.refresh_from_db()
    assert list(results(job)[0])[:2] == ["text", "'=cmd"]
