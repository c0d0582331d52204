# SPDX-License-Identifier: EUPL-1.2
"""Web forms of step 3. They only shape input; the rules live in services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from weerbaar.accounts.models import Department
from weerbaar.research.models import Outcome, SourceApproval, W4Outcome
from weerbaar.research.services import SourceDecision
from weerbaar.signals.forms import SUBJECT_FIELD_LABELS
from weerbaar.sources.models import Mode, Source

#: Labels of the content fields that a source may show (the record columns of file-formats.md).
FIELD_LABELS: dict[str, Any] = {
    **SUBJECT_FIELD_LABELS,
    "record_type": _("Kind of record"),
    "date": _("Date"),
    "status": _("Status"),
    "summary": _("Summary"),
    "registration_date": _("Registration date"),
    "surface_m2": _("Floor area (m²)"),
    "id": _("Record id"),
}


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


def _text(label: Any, help_text: Any = "", *, required: bool = False, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class PC1RequestForm(forms.Form):
    sources = forms.MultipleChoiceField(label=_("Sources to query"), widget=forms.CheckboxSelectMultiple)
    reasons = _text(
        _("Why these sources"),
        _("What must the research establish, and why is each source needed for it?"),
        required=True,
        rows=4,
    )

    def __init__(self, *args: Any, unavailable: set[int] | None = None, **kwargs: Any) -> None:
        """``unavailable``: leave out sources already approved or waiting (the service refuses them)."""
        super().__init__(*args, **kwargs)
        choices = []
        sources = Source.objects.filter(active=True).order_by("name")
        for source in sources.exclude(pk__in=unavailable or set()):
            label = f"{source.name} — {source.get_mode_display()}"
            if source.mode == Mode.EXCLUDED:
                label += " " + str(_("(cannot be approved)"))
            choices.append((source.slug, label))
        self.fields["sources"].choices = choices  # type: ignore[attr-defined]


class SourceDecisionForm(forms.Form):
    """The privacyfunctionaris' decision on one source (prefix: the source's code)."""

    outcome = forms.ChoiceField(
        label=_("Decision"),
        required=False,
        choices=[("", _("Not now")), (Outcome.APPROVED, _("Approve")), (Outcome.REFUSED, _("Refuse"))],
        widget=forms.RadioSelect,
    )
    legal_basis = _text(_("Legal basis of the original collection"))
    link = _text(_("Link between the purposes (AVG art. 6(4)(a))"))
    context = _text(_("Context of the collection (art. 6(4)(b))"))
    nature = _text(
        _("Nature of the data (art. 6(4)(c))"),
        _("Including special categories (AVG art. 9) and criminal-offence data (art. 10)."),
    )
    consequences = _text(_("Consequences for the data subjects (art. 6(4)(d))"))
    safeguards = _text(_("Safeguards (art. 6(4)(e))"))
    necessity = _text(_("Necessity"))
    proportionality = _text(_("Proportionality"))
    subsidiarity = _text(_("Subsidiarity"))
    minimisation = _text(_("Data minimisation"))
    reasons = _text(_("Reasons for the decision"), rows=3)
    supersedes = forms.IntegerField(required=False, widget=forms.HiddenInput)

    ASSESSMENT = (
        "legal_basis",
        "link",
        "context",
        "nature",
        "consequences",
        "safeguards",
        "necessity",
        "proportionality",
        "subsidiarity",
        "minimisation",
    )

    def __init__(self, *args: Any, source: Source, current: SourceApproval | None, **kwargs: Any) -> None:
        kwargs["prefix"] = source.slug
        super().__init__(*args, **kwargs)
        self.source = source
        self.current = current
        self.initial.setdefault("supersedes", current.pk if current else None)

    def assessment_fields(self) -> list[Any]:
        return [self[name] for name in self.ASSESSMENT]

    def decision(self) -> SourceDecision | None:
        outcome = self.cleaned_data.get("outcome")
        if not outcome:
            return None
        return SourceDecision(
            source=self.source.slug,
            outcome=outcome,
            reasons=self.cleaned_data.get("reasons", ""),
            assessment={name: self.cleaned_data.get(name, "") for name in self.ASSESSMENT},
            supersedes=self.cleaned_data.get("supersedes"),
        )


class RunQueriesForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose"),
        required=False,
        max_length=200,
        help_text=_("Written to the audit log with every question; default: source research of this signal."),
    )


class ContentRequestForm(forms.Form):
    fields_wanted = forms.MultipleChoiceField(label=_("Fields"), widget=forms.CheckboxSelectMultiple)
    reasons = _text(
        _("Justification"),
        _("Why the content of this hit is needed, and why these fields; the source owner reads this."),
        required=True,
        rows=4,
    )

    def __init__(self, *args: Any, source: Source, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fields_wanted"].choices = [(f, field_label(f)) for f in source.content_fields]  # type: ignore[attr-defined]


class ContentDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Approve the fields chosen below")), ("no", _("Refuse"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    fields_approved = forms.MultipleChoiceField(
        label=_("Fields to give"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only fields that were requested, within the source's allowed set."),
    )
    reasons = _text(_("Reasons"), required=True, rows=3)

    def __init__(self, *args: Any, requested: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fields_approved"].choices = [(f, field_label(f)) for f in requested]  # type: ignore[attr-defined]


class W4Form(forms.Form):
    confirmed = forms.TypedChoiceField(
        label=_("W4: do the hits confirm the signal?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=W4Outcome.choices, widget=forms.RadioSelect)
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments that act"),
        queryset=Department.objects.order_by("name"),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for the outcome “department(s)”; the first one listed takes the lead."),
    )
    reasons = _text(_("Reasons"), required=True, rows=4)
