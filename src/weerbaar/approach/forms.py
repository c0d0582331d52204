# SPDX-License-Identifier: EUPL-1.2
"""Web forms of step 4. They only shape input; the rules live in services.py and referral.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.accounts.models import Department, User
from weerbaar.approach.models import Case, Instrument, InterventionOutcome, ReferralStatus
from weerbaar.approach.selectors import DataItem

REASONS_HELP = _("Why: this is recorded with your name, role and the time.")


def _reasons(label: Any = None, required: bool = True, help_text: Any = REASONS_HELP) -> forms.CharField:
    return forms.CharField(
        label=label or _("Reasons"),
        required=required,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=help_text,
    )


def _user_label(user: User) -> str:
    name = user.get_full_name() or user.get_username()
    return f"{name} ({user.department})" if user.department_id else name


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _user_label(obj)


class TeamForm(forms.Form):
    user = UserChoiceField(
        label=_("Colleague"), queryset=User.objects.filter(is_active=True).select_related("department")
    )
    action = forms.ChoiceField(
        label=_("Action"), choices=[("add", _("Add to the team")), ("remove", _("Remove from the team"))], initial="add"
    )


class ParticipantForm(forms.Form):
    user = UserChoiceField(
        label=_("Colleague"),
        required=False,
        queryset=User.objects.filter(is_active=True).select_related("department"),
        help_text=_("For a colleague of this municipality; leave empty for an external partner."),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        required=False,
        max_length=120,
        help_text=_("Police, OM, Belastingdienst, RIEC, …; for a colleague their department is filled in."),
    )
    function = forms.CharField(label=_("Function"), required=False, max_length=120)
    is_riec = forms.BooleanField(label=_("This participant is the RIEC"), required=False)


class MatrixForm(forms.Form):
    """Privacy check 2A as a grid: one checkbox per data item and participant."""

    reasons = _reasons(help_text=_("Why each participant needs to know what is shared with them (need to know)."))

    def __init__(
        self, *args: Any, items: list[DataItem], participants: list[Any], cells: dict[str, list[int]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        self.participants = participants
        self.grid: list[tuple[DataItem, list[tuple[Any, str]]]] = []
        for index, item in enumerate(items):
            row = []
            for participant in participants:
                name = f"cell_{index}_{participant.pk}"
                self.fields[name] = forms.BooleanField(
                    required=False,
                    initial=participant.pk in cells.get(item.key, []),
                    label=f"{item.label} — {participant.label}",
                )
                row.append((participant, name))
            self.grid.append((item, row))

    def cells(self) -> dict[str, list[int]]:
        chosen: dict[str, list[int]] = {}
        for item, row in self.grid:
            ids = [p.pk for p, name in row if self.cleaned_data.get(name)]
            if ids:
                chosen[item.key] = ids
        return chosen

    def rows(self) -> list[tuple[DataItem, list[Any]]]:
        return [(item, [self[name] for _p, name in row]) for item, row in self.grid]


class MeetingForm(forms.Form):
    held_on = forms.DateField(
        label=_("Held on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    attendees = forms.MultipleChoiceField(label=_("Attendees"), widget=forms.CheckboxSelectMultiple)
    reasons = _reasons(label=_("Decisions"), help_text=_("What the meeting decided, and why."))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = [  # type: ignore[attr-defined]
            (str(p.pk), f"{p.label}{' — ' + p.function if p.function else ''}")
            for p in case.participants.select_related("user")
        ]


class InterventionForm(forms.Form):
    instrument = forms.ChoiceField(label=_("Instrument"))
    owner_department = forms.ModelChoiceField(
        label=_("Owner department"), queryset=Department.objects.all(), to_field_name="code"
    )
    reasons = _reasons(help_text=_("Why the case meeting chose this intervention (W5)."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (i.code, i.label) for i in Instrument.objects.filter(active=True)
        ]


class Check2BForm(forms.Form):
    exchange = forms.CharField(
        label=_("Exchange needed"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Which data goes to whom for this intervention."),
    )
    legal_basis = forms.CharField(label=_("Sectoral legal basis"), max_length=300)
    allowed = forms.TypedChoiceField(
        label=_("Does the sectoral law allow the exchange?"),
        choices=[("yes", _("Yes: allowed")), ("no", _("No: refused"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    shared_items = forms.MultipleChoiceField(
        label=_("Items that may be exchanged"), required=False, widget=forms.CheckboxSelectMultiple
    )
    reasons = _reasons()

    def __init__(self, *args: Any, items: list[DataItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shared_items"].choices = [(i.key, i.label) for i in items]  # type: ignore[attr-defined]


class StepForm(forms.Form):
    notes = forms.CharField(label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=InterventionOutcome.choices, widget=forms.RadioSelect)
    notes = _reasons(label=_("Notes on the outcome"))


class CloseForm(forms.Form):
    reasons = _reasons(
        required=False,
        help_text=_("Required when no intervention has an outcome: explain why the case closes without one."),
    )


class ReferralForm(forms.Form):
    intervention = forms.ChoiceField(label=_("RIEC-referral intervention"), required=False)
    reasons = _reasons(help_text=_("Why the case goes to the RIEC; this text is part of the package."))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from weerbaar.approach.services import intervention_reference

        choices = [
            (str(i.pk), f"{intervention_reference(i)} {i.instrument.label}")
            for i in case.interventions.filter(instrument__is_riec_referral=True).select_related("instrument")
        ]
        self.fields["intervention"].choices = [("", _("none (the case's RIEC track)")), *choices]  # type: ignore[attr-defined]


class ReferralEventForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"), choices=[c for c in ReferralStatus.choices if c[0] != ReferralStatus.DRAFT]
    )
    reasons = _reasons(
        label=_("Note or the RIEC's feedback"),
        required=False,
        help_text=_("Required for feedback and for a declined referral."),
    )
