# SPDX-License-Identifier: EUPL-1.2
"""Forms of the researchers' pages. The questionnaire itself needs no Django form: its questions are
data (the codebook), and survey.py checks answers with the codebook's own rules."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.monitor.models import Codebook


class DateInput(forms.DateInput):
    input_type = "date"


class WaveCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Year of the wave"), min_value=2000, max_value=2100)
    codebook_version = forms.TypedChoiceField(label=_("Codebook version"), coerce=int)
    closes_on = forms.DateField(
        label=_("Closing date"),
        widget=DateInput,
        help_text=_("The personal links stop working at midnight after this date, or when you close the wave."),
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    synthetic = forms.BooleanField(
        label=_("Synthetic wave (demo or test): every page built on it says so"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        versions = list(Codebook.objects.order_by("-version").values_list("version", "source_name"))
        version_field = self.fields["codebook_version"]
        if not (isinstance(version_field, forms.TypedChoiceField)):
            raise RuntimeError("internal error: expected isinstance(version_field, forms.TypedChoiceField)")
        version_field.choices = [(v, f"v{v} ({name})" if name else f"v{v}") for v, name in versions]
        if not self.is_bound:
            self.initial.setdefault("closes_on", timezone.localdate() + timedelta(weeks=6))
            self.initial.setdefault("synthetic", settings.PROFILE != "production")
            if versions:
                self.initial.setdefault("codebook_version", versions[0][0])


class WaveOpenForm(forms.Form):
    contacts = forms.CharField(
        label=_("E-mail addresses of the municipalities (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One line per municipality: CBS code and address, e.g. “GM0363;veiligheid@example.nl”. "
            "Prefer a team address to a personal one. Municipalities without an address get no e-mail: "
            "hand them the link shown after opening."
        ),
    )
    confirm = forms.BooleanField(
        label=_("Open the wave and make a personal link for every municipality"), required=True
    )


class WaveCloseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Close the wave: the links stop working for the questionnaire; partial responses stay partial"),
        required=True,
    )


class IssueLinkForm(forms.Form):
    code = forms.CharField(label=_("Municipality code"), max_length=6, help_text=_("For example GM0363."))
    email = forms.EmailField(
        label=_("E-mail address (optional)"),
        required=False,
        help_text=_("The new link is mailed here; the previous link of this municipality stops working."),
    )

    def clean_code(self) -> str:
        value: str = self.cleaned_data["code"].strip().upper()
        if value.isdigit():
            value = f"GM{int(value):04d}"
        return value


class BenchmarkLinksForm(forms.Form):
    contacts = forms.CharField(
        label=_("E-mail addresses of the municipalities (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One line per municipality: CBS code and address. The addresses are used for this mail only and not stored."
        ),
    )
