# SPDX-License-Identifier: EUPL-1.2
"""Forms of the governance pages; the rules themselves live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.governance.models import RequestKind, RequestStatus, RestrictionGround
from weerbaar.governance.requests import REQUESTER_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of request"), choices=RequestKind.choices)
    received_on = forms.DateField(label=_("Received on"), widget=DATE, initial=timezone.localdate)
    given_names = forms.CharField(label=_("Given names"), required=False, max_length=200)
    surname_prefix = forms.CharField(label=_("Surname prefix"), required=False, max_length=200)
    surname = forms.CharField(label=_("Surname"), required=False, max_length=200)
    date_of_birth = forms.CharField(
        label=_("Date of birth"), required=False, max_length=20, help_text=_("YYYY-MM-DD or DD-MM-YYYY")
    )
    street = forms.CharField(label=_("Street"), required=False, max_length=200)
    house_number = forms.CharField(label=_("House number"), required=False, max_length=20)
    house_number_addition = forms.CharField(label=_("Addition"), required=False, max_length=20)
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=10)
    city = forms.CharField(label=_("City"), required=False, max_length=200)
    bsn = forms.CharField(label=_("BSN"), required=False, max_length=12)
    kvk_number = forms.CharField(
        label=_("KvK number"), required=False, max_length=12, help_text=_("For a sole trader's business.")
    )
    licence_plate = forms.CharField(label=_("Licence plate"), required=False, max_length=12)
    contact = forms.CharField(
        label=_("E-mail or telephone"),
        required=False,
        max_length=200,
        help_text=_("Finds signals this person reported with the same contact details."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How the identity was checked, and through which channel the request came."),
    )

    def requester(self) -> dict[str, str]:
        return {k: self.cleaned_data.get(k) or "" for k in REQUESTER_FIELDS if self.cleaned_data.get(k)}

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        for name, messages in errors.items():
            field = name.removeprefix("requester.")
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)


class RestrictionForm(forms.Form):
    item = forms.CharField(label=_("Item"), max_length=80, widget=forms.HiddenInput)
    ground = forms.ChoiceField(label=_("Ground"), choices=RestrictionGround.choices)
    reasons = forms.CharField(label=_("Reasons"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    withheld = forms.ChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Withhold")), ("no", _("Release again"))],
        initial="yes",
        required=False,
    )

    def withhold(self) -> bool:
        """Withhold unless the form asks to release (a form without the field withholds)."""
        return bool(self.cleaned_data.get("withheld") != "no")


class ReportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=[("pdf", "PDF"), ("html", "HTML"), ("json", "JSON")])


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(RequestStatus.ANSWERED, _("Answered")), (RequestStatus.REFUSED, _("Refused"))],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label=_("How it was answered, or why it was refused"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period ends before it starts."))
        return data


class PublicationForm(PeriodForm):
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To"), widget=DATE)


class SubjectAuditForm(PeriodForm):
    object_type = forms.CharField(
        label=_("Object type"),
        max_length=40,
        required=False,
        help_text=_("For example signals.signal or approach.case."),
    )
    object_id = forms.CharField(label=_("Object id"), max_length=64, required=False)
    request = forms.IntegerField(
        label=_("Or: data-subject request number"),
        required=False,
        min_value=1,
        help_text=_("Shows the rows about everything the search of that request finds."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("request") and not (data.get("object_type") and data.get("object_id")):
            raise forms.ValidationError(_("Give an object type and id, or a request number."))
        return data


class EmployeeAuditForm(PeriodForm):
    employee = forms.CharField(label=_("Employee (username or id)"), max_length=150)


class ExportForm(PeriodForm):
    format = forms.ChoiceField(label=_("Format"), choices=[("csv", "CSV"), ("json", "JSON")])
