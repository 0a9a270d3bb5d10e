"""The tracker's forms: they parse input; the writes are tracker.services'."""

from __future__ import annotations

from django import forms

from opportunities.models import InterviewRound, OpportunitySource, Stage
from opportunities.tracker.exchange import IMPORT_FIELDS, REQUIRED_FIELDS
from opportunities.tracker.selectors import TABLE_SORTS


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class OutsideUrlForm(forms.Form):
    url = forms.URLField(
        label="Address of the job posting",
        max_length=2000,
        assume_scheme="https",
        help_text="We read what we can from the page; you check it before it is saved.",
    )


class OpportunityForm(forms.Form):
    """An entry's details (not its stage: that moves through the board)."""

    title = forms.CharField(max_length=300)
    company_name = forms.CharField(label="Company", max_length=200)
    url = forms.URLField(
        label="Address of the posting", max_length=2000, required=False, assume_scheme="https"
    )
    location = forms.CharField(max_length=200, required=False)
    source = forms.ChoiceField(
        label="Where it came from", choices=OpportunitySource.choices, initial="other_site"
    )
    source_name = forms.CharField(
        label="Which site, or who referred you", max_length=200, required=False
    )
    tags = forms.CharField(
        max_length=500, required=False, help_text="Words separated by commas or spaces."
    )
    salary_offered = forms.CharField(label="Salary offered", max_length=100, required=False)
    next_step = forms.CharField(label="Next step", max_length=300, required=False)
    next_step_due = forms.DateField(label="Next step due", required=False, widget=DateInput)
    cv_sent = forms.CharField(label="CV sent (a name or link)", max_length=500, required=False)
    cover_letter_sent = forms.CharField(
        label="Cover letter sent (a name or link)", max_length=500, required=False
    )
    notes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown: **bold**, _italic_, lists, links.",
    )


class OutsideConfirmForm(OpportunityForm):
    """A role from elsewhere, as read from its page or typed in, before it is saved."""

    stage = forms.ChoiceField(label="Stage", choices=Stage.choices, initial=Stage.SAVED)
    description_html = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A role from elsewhere did not come from this board.
        self.fields["source"].choices = [
            choice for choice in OpportunitySource.choices if choice[0] != OpportunitySource.BOARD
        ]


class MoveForm(forms.Form):
    stage = forms.ChoiceField(choices=Stage.choices)
    note = forms.CharField(max_length=500, required=False)


class ContactForm(forms.Form):
    name = forms.CharField(max_length=200)
    role_title = forms.CharField(label="Role", max_length=200, required=False)
    email = forms.EmailField(label="E-mail", required=False)
    profile_url = forms.URLField(
        label="Profile link", max_length=500, required=False, assume_scheme="https"
    )


class InterviewForm(forms.Form):
    at = forms.DateTimeField(
        label="Date and time", widget=DateTimeInput, input_formats=["%Y-%m-%dT%H:%M"]
    )
    kind = forms.ChoiceField(choices=InterviewRound.Kind.choices, initial="other")
    with_whom = forms.CharField(label="With whom", max_length=300, required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


class TableForm(forms.Form):
    q = forms.CharField(label="Search", max_length=200, required=False)
    stage = forms.ChoiceField(choices=[("", "Any stage"), *Stage.choices], required=False)
    tag = forms.CharField(max_length=40, required=False)
    company = forms.CharField(max_length=200, required=False)
    sort = forms.ChoiceField(
        choices=[(key, label) for key, (label, _) in TABLE_SORTS.items()], required=False
    )

    def __init__(self, *args, tags: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"] = forms.ChoiceField(
            choices=[("", "Any tag"), *((t, t) for t in tags)], required=False
        )


class ImportUploadForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="UTF-8 CSV with a header row, up to 1 MB.")


class ImportMappingForm(forms.Form):
    """Which column of the file holds each field; the file's text rides along."""

    csv_text = forms.CharField(widget=forms.HiddenInput, max_length=1024 * 1024)

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— not in the file —"), *((h, h) for h in headers if h)]
        for name, label in IMPORT_FIELDS:
            self.fields[f"map_{name}"] = forms.ChoiceField(
                label=label + (" (needed)" if name in REQUIRED_FIELDS else ""),
                choices=choices,
                required=False,
            )

    def mapping(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(f"map_{name}", "") for name, _ in IMPORT_FIELDS}

    def mapping_fields(self):
        return [self[f"map_{name}"] for name, _ in IMPORT_FIELDS]
