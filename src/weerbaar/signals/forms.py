# SPDX-License-Identifier: EUPL-1.2
"""Web forms of steps 1-2. They only shape input; the rules live in services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.accounts.models import Department
from weerbaar.signals.models import Channel, ChecklistItem, ChecklistKind, Phenomenon, SubjectKind, WeighingCriterion
from weerbaar.signals.states import Route, State
from weerbaar.signals.subjects import FIELDS

SUBJECT_FIELD_LABELS = {
    "given_names": _("Given names"),
    "surname_prefix": _("Surname prefix"),
    "surname": _("Surname"),
    "date_of_birth": _("Date of birth"),
    "street": _("Street"),
    "house_number": _("House number"),
    "house_number_addition": _("Addition"),
    "postcode": _("Postcode"),
    "city": _("City"),
    "bsn": _("BSN"),
    "kvk_number": _("KvK number"),
    "trade_name": _("Trade name"),
    "legal_form": _("Legal form"),
    "sbi_code": _("SBI code"),
    "bag_id": _("BAG id"),
    "usage": _("Use"),
    "licence_plate": _("Licence plate"),
    "make": _("Make"),
    "model": _("Model"),
    "colour": _("Colour"),
}
ALL_SUBJECT_FIELDS = list(dict.fromkeys(f for fields in FIELDS.values() for f in fields))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class SignalForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.DEPARTMENT)
    received_on = forms.DateField(
        label=_("Received on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reporter_anonymous = forms.BooleanField(label=_("The reporter is anonymous"), required=False)
    reporter_name = forms.CharField(label=_("Reporter"), required=False, max_length=200)
    reporter_contact = forms.CharField(label=_("Reporter contact"), required=False, max_length=200)
    description = forms.CharField(
        label=_("What was observed"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        help_text=_("Facts and circumstances: what, where, when, how often. No opinions about people."),
    )
    location_address = forms.CharField(label=_("Address"), required=False, max_length=300)
    location_area = forms.CharField(
        label=_("Area"),
        required=False,
        max_length=120,
        help_text=_("Neighbourhood, business park or rural area."),
    )
    phenomena = forms.MultipleChoiceField(label=_("Phenomena"), widget=forms.CheckboxSelectMultiple)
    attachments = forms.FileField(
        label=_("Attachments"),
        required=False,
        widget=MultipleFileInput(),
        help_text=_("PDF, JPEG, PNG, text or CSV; at most 10 MB each."),
    )

    def __init__(self, *args: Any, external_allowed: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phenomena"].choices = [(p.code, p.label) for p in Phenomenon.objects.filter(active=True)]  # type: ignore[attr-defined]
        if not external_allowed:
            self.fields["channel"].choices = [(Channel.DEPARTMENT.value, Channel.DEPARTMENT.label)]  # type: ignore[attr-defined]


class SubjectForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of subject"), choices=[("", "—"), *SubjectKind.choices], required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ALL_SUBJECT_FIELDS:
            kinds = " ".join(k for k, fields in FIELDS.items() if name in fields)
            widget = forms.TextInput(attrs={"data-kinds": kinds})
            self.fields[name] = forms.CharField(
                label=SUBJECT_FIELD_LABELS[name], required=False, max_length=200, widget=widget
            )

    def subject(self) -> dict[str, Any] | None:
        kind = self.cleaned_data.get("kind")
        if not kind:
            return None
        data = {k: v for k, v in self.cleaned_data.items() if k in FIELDS[kind] and v}
        return {"kind": kind, "data": data}


SubjectFormSet = forms.formset_factory(SubjectForm, extra=3, max_num=10)


class QualificationForm(forms.Form):
    checked_items = forms.MultipleChoiceField(label=_("Checklist"), widget=forms.CheckboxSelectMultiple, required=False)
    w1 = forms.TypedChoiceField(
        label=_("W1: is this undermining?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    w2a = forms.TypedChoiceField(
        label=_("W2A: does it touch a municipal task or power?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    w2b = forms.TypedChoiceField(
        label=_("W2B: is it within the municipality's territory?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    referred_to = forms.CharField(label=_("Referred to (when W2A or W2B is no)"), required=False, max_length=200)
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    #: The state the user saw; a decision taken meanwhile by someone else makes this form stale.
    expected_state = forms.ChoiceField(choices=State.choices, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = ChecklistItem.objects.filter(active=True)
        self.groups = [
            (kind_label, [(i.code, i.label) for i in items if i.kind == kind])
            for kind, kind_label in ChecklistKind.choices
        ]
        self.fields["checked_items"].choices = [(i.code, i.label) for i in items]  # type: ignore[attr-defined]


class WeighingForm(forms.Form):
    route = forms.ChoiceField(label=_("Decision"), choices=Route.choices, widget=forms.RadioSelect)
    department = forms.ModelChoiceField(
        label=_("Department that takes the lead (route b)"),
        queryset=Department.objects.all(),
        required=False,
        to_field_name="code",
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(WeighingCriterion.objects.filter(active=True))
        for c in self.criteria:
            self.fields[f"score_{c.code}"] = forms.TypedChoiceField(
                label=c.label,
                help_text=c.help,
                coerce=int,
                choices=[(i, str(i)) for i in range(c.max_score + 1)],
                widget=forms.RadioSelect,
            )
            self.fields[f"explanation_{c.code}"] = forms.CharField(
                label=_("Explanation"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
            )

    def criterion_rows(self) -> list[tuple[Any, Any, Any]]:
        return [(c, self[f"score_{c.code}"], self[f"explanation_{c.code}"]) for c in self.criteria]

    def scores(self) -> dict[str, tuple[int, str]]:
        return {
            c.code: (self.cleaned_data[f"score_{c.code}"], self.cleaned_data[f"explanation_{c.code}"])
            for c in self.criteria
        }


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search (reference or area)"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("All")), *State.choices])
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", _("All")), *Channel.choices])
    phenomenon = forms.ChoiceField(label=_("Phenomenon"), required=False)
    received_from = forms.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    received_to = forms.DateField(
        label=_("Received until"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phenomenon"].choices = [("", _("All"))] + [  # type: ignore[attr-defined]
            (p.code, p.label) for p in Phenomenon.objects.filter(active=True)
        ]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV export of a department"),
        help_text=_("UTF-8, comma-separated, with a header row; see the file format in the documentation."),
    )
    department = forms.ModelChoiceField(
        label=_("Department the export comes from"),
        queryset=Department.objects.all(),
        required=False,
        to_field_name="code",
    )
