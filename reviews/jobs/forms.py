"""The upload form of the jobs page: a file, its text column, and the model."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat


class JobUploadForm(forms.Form):
    file = forms.FileField(
        label="File",
        allow_empty_file=True,  # the service's message for an empty file is the clearer one
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.jsonl,.ndjson,text/csv,application/jsonl"}),
    )
    column = forms.CharField(
        label="Text column",
        initial="text",
        max_length=255,
        help_text="The CSV column (or JSONL field) that holds the review.",
    )
    model = forms.ChoiceField(label="Model", required=False)

    def __init__(self, *args, models: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = models
        self.fields["file"].help_text = (
            f"CSV (UTF-8, with a header row) or JSONL (one JSON object per line); up to "
            f"{filesizeformat(settings.JOBS_MAX_FILE_BYTES)} and {settings.JOBS_MAX_ROWS:,} rows."
        )
