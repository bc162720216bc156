"""OpenAPI documentation of the jobs endpoints, with examples of every answer."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiRequest, OpenApiResponse, extend_schema

from classifier.api.schema import UNKNOWN_MODEL
from sentisite.api.schema import NOT_AUTHENTICATED, PERMISSION_DENIED, RETRY_AFTER, THROTTLED, error

from . import serializers

JOB_ID = OpenApiParameter(
    "id",
    OpenApiTypes.UUID,
    location=OpenApiParameter.PATH,
    description="The job's id.",
    examples=[OpenApiExample("A job id", value="3f1c9a2e-5b7d-4c1e-9a0f-2b6d8e4c7a15")],
)
JOB = {
    "id": "3f1c9a2e-5b7d-4c1e-9a0f-2b6d8e4c7a15",
    "url": "http://127.0.0.1:8000/api/v1/jobs/3f1c9a2e-5b7d-4c1e-9a0f-2b6d8e4c7a15",
    "status": "running",
    "filename": "reviews.csv",
    "column": "text",
    "model": "default",
    "model_version": "default-20261129-b3dba875",
    "total": 200000,
    "processed": 48000,
    "errors": 12,
    "counts": {"positive": 25010, "negative": 22978},
    "rows_per_second": 2400.0,
    "seconds_left": 63,
    "created_at": "2026-05-01T12:00:00Z",
    "started_at": "2026-05-01T12:00:01Z",
    "finished_at": None,
    "results_url": None,
    "error": "",
}
JOB_DONE = {
    **JOB,
    "status": "done",
    "processed": 200000,
    "errors": 31,
    "counts": {"positive": 104220, "negative": 95749},
    "rows_per_second": 2410.5,
    "seconds_left": None,
    "finished_at": "2026-05-01T12:01:24Z",
    "results_url": JOB["url"] + "/results",
}


def example(summary: str, detail: str, code: str) -> tuple[str, dict]:
    """An error example of the usual body, a `detail` and a `code`, for `error`."""
    return summary, {"detail": detail, "code": code}


NOT_FOUND = error(
    404,
    "No such job among yours (another user's job is not found either).",
    example("Not yours or gone", "No Job matches the given query.", "not_found"),
)
BAD_FILE = error(
    400,
    "The upload cannot be a job; nothing is queued. `code` says why.",
    example(
        "Not CSV or JSONL",
        "The file is not CSV or JSONL: upload a .csv file (with a header) or a .jsonl file.",
        "unsupported_file",
    ),
    example("No such column", "No column 'text' in the file; it has: id, review.", "no_such_column"),
    example("Empty file", "The file is empty.", "empty_file"),
    example(
        "Undecodable bytes",
        "The file is not UTF-8 text: it has undecodable bytes. Save it as CSV UTF-8 (or JSONL in UTF-8).",
        "undecodable",
    ),
    example("Too many rows", "The file has more than 1,000,000 rows, the most one job takes.", "too_many_rows"),
    (
        "No file",
        {"detail": "file: No file was submitted.", "code": "invalid", "errors": {"file": ["No file was submitted."]}},
    ),
    UNKNOWN_MODEL,
)
FILE_TOO_LARGE = error(
    413,
    "The file is over the size limit (50 MB unless configured).",
    example("File too large", "The file is 73,400,320 bytes; the most one job takes is 52,428,800.", "file_too_large"),
)
UNSUPPORTED_MEDIA_TYPE = error(
    415,
    "The body is not multipart/form-data.",
    example("JSON body", 'Unsupported media type "application/json" in request.', "unsupported_media_type"),
)
TOO_MANY = error(
    429,
    "Throttled; or too many of your jobs are queued or running (2 unless configured); or the file would take you "
    "over your daily rows. The Retry-After header says how many seconds to wait.",
    example("Throttled", "Request was throttled. Expected available in 42 seconds.", "throttled"),
    example(
        "Too many jobs",
        "You have 2 jobs queued or running, the most at once; wait for one to finish or cancel one.",
        "too_many_jobs",
    ),
    example(
        "Daily rows used",
        "This file has 200,000 rows; you have 150,000 left of your 2,000,000 rows a day.",
        "quota_exceeded",
    ),
)
NOT_READY = error(
    409,
    "The job is not done (yet, or it failed or was cancelled): there are no results to download.",
    example("Not done", "The job is running: its results are not ready.", "not_ready"),
)


def one_job(*, responses: dict, **kwargs):
    """The documentation of an endpoint on one of the user's jobs: the id in the path, and besides `responses`
    401, 404 (another user's job too) and 429, listed by status as every endpoint lists them."""
    responses = {**responses, 401: NOT_AUTHENTICATED, 404: NOT_FOUND, 429: THROTTLED}
    by_status = sorted(responses.items(), key=lambda item: item[0][0] if isinstance(item[0], tuple) else item[0])
    return extend_schema(parameters=[JOB_ID], responses=dict(by_status), tags=["jobs"], **kwargs)


JOB_LIST = extend_schema(
    operation_id="jobs_list",
    summary="List your jobs",
    description="Your own bulk jobs, newest first; paginated.",
    responses={
        200: OpenApiResponse(serializers.JobSerializer(many=True), description="A page of your jobs."),
        401: NOT_AUTHENTICATED,
        404: error(404, "No such page.", example("Page out of range", "Invalid page.", "not_found")),
        429: THROTTLED,
    },
    examples=[OpenApiExample("A page of jobs", value=JOB, response_only=True)],
    tags=["jobs"],
)

JOB_CREATE = extend_schema(
    operation_id="jobs_create",
    summary="Classify a whole file",
    description=(
        "Upload a CSV (UTF-8, with a header row; `column` names the text column, `text` by default) or a JSONL file "
        "(one JSON object per line; `column` names the field) as multipart/form-data. The file is checked in one "
        "quick pass before anything is queued: not CSV or JSONL, no such column, an empty file or undecodable bytes "
        "are a 400 and nothing is queued. Otherwise the job is queued (202) and workers classify it in chunks; poll "
        "`url` for progress and download `results_url` when `status` is `done`. The results CSV holds the input "
        "columns in order, then `sentiment`, `score`, `model_version` and `error`: a bad row (empty text, over 20,000 "
        "characters, a NUL) gets an `error` and no verdict, and never fails the job. Limits (configurable): 50 MB "
        "and 1,000,000 rows a file, 2 jobs queued or running at once, 2,000,000 rows a day."
    ),
    request={
        "multipart/form-data": OpenApiRequest(
            serializers.JobCreateSerializer,
            examples=[
                OpenApiExample(
                    "A CSV file",
                    value={"file": "id,review\n1,A brilliant film.\n2,Dull and too long.\n", "column": "review"},
                ),
                OpenApiExample(
                    "A JSONL file", value={"file": '{"text": "A brilliant film."}\n{"text": "Dull and too long."}\n'}
                ),
            ],
        )
    },
    responses={
        202: OpenApiResponse(serializers.JobSerializer, description="Queued: the job, to poll."),
        400: BAD_FILE,
        401: NOT_AUTHENTICATED,
        403: PERMISSION_DENIED,
        413: FILE_TOO_LARGE,
        415: UNSUPPORTED_MEDIA_TYPE,
        429: TOO_MANY,
    },
    parameters=[RETRY_AFTER],
    examples=[
        OpenApiExample(
            "The queued job",
            value={
                **JOB,
                "status": "queued",
                "processed": 0,
                "errors": 0,
                "counts": {"positive": 0, "negative": 0},
                "rows_per_second": None,
                "seconds_left": None,
                "started_at": None,
                "model_version": "",
            },
            response_only=True,
            status_codes=["202"],
        ),
    ],
    tags=["jobs"],
)

JOB_RETRIEVE = one_job(
    operation_id="jobs_retrieve",
    summary="One of your jobs, with its progress",
    description=(
        "`status` is queued, running, done, failed or cancelled; `processed` of `total` rows are done, at "
        "`rows_per_second`, about `seconds_left` to go. Another user's job is a 404."
    ),
    responses={200: OpenApiResponse(serializers.JobSerializer, description="The job.")},
    examples=[
        OpenApiExample("A running job", value=JOB, response_only=True),
        OpenApiExample("A done job", value=JOB_DONE, response_only=True),
    ],
)

JOB_DESTROY = one_job(
    operation_id="jobs_destroy",
    summary="Cancel a job, or delete a finished one",
    description=(
        "A queued or running job is cancelled (200, the job; its files are removed and no more rows are done). "
        "A finished one (done, failed or cancelled) is deleted with its results (204). Another user's job is a 404."
    ),
    responses={
        200: OpenApiResponse(serializers.JobSerializer, description="Cancelled: the job."),
        204: OpenApiResponse(description="Deleted, with its results."),
        403: PERMISSION_DENIED,
    },
    examples=[
        OpenApiExample(
            "The cancelled job",
            value={**JOB, "status": "cancelled", "seconds_left": None, "finished_at": "2026-05-01T12:00:21Z"},
            response_only=True,
            status_codes=["200"],
        )
    ],
)

JOB_RESULTS = one_job(
    operation_id="jobs_results",
    summary="Download a job's results",
    description=(
        "The results CSV of a done job, streamed: the input columns in input order, then `sentiment`, `score` "
        "(the probability that the review is positive), `model_version`, `error` (why a row has no verdict), `confidence` "
        "(`high`, `medium`, `low`, or `none` when the model knows none of the words) and `warnings` (the predict API's "
        "codes, separated by `;`)."
    ),
    responses={
        (200, "text/csv"): OpenApiResponse(
            OpenApiTypes.STR,
            description="The results CSV (UTF-8).",
            examples=[
                OpenApiExample(
                    "Results",
                    value="id,text,sentiment,score,model_version,error,confidence,warnings\r\n"
                    "1,A brilliant film.,positive,0.970000,default-20261129-b3dba875,,high,very_short\r\n"
                    "2,,,,,empty text,,\r\n",
                    response_only=True,
                )
            ],
        ),
        409: NOT_READY,
    },
)
