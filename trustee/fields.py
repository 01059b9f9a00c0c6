"""Model and form fields for yearly dates ("February 15"), stored as "MM-DD".

Stored as text rather than a date with a dummy year so that no reader can mistake a recurring
term for a one-off date, and so that SQLite (the demo) and PostgreSQL hold the same thing.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from trustee.term_rules import MonthDay, TermError, parse_month_day, parse_month_day_list


class MonthDayFormField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "A day of the year, e.g. February 15 or 02-15.")
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return str(parse_month_day(value))
        except TermError as error:
            raise ValidationError(str(error), code="invalid") from error

    def prepare_value(self, value):
        if value in self.empty_values:
            return value
        try:
            return parse_month_day(value).label
        except TermError:
            return value


class MonthDayField(models.CharField):
    description = "A day of the year (MM-DD)"

    def __init__(self, *args, **kwargs):
        kwargs["max_length"] = 5
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def to_python(self, value):
        if value in (None, ""):
            return None if self.null else ""
        try:
            return str(parse_month_day(value))
        except TermError as error:
            raise ValidationError(str(error), code="invalid") from error

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if isinstance(value, MonthDay):
            return str(value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": MonthDayFormField, **kwargs})


class MonthDayListFormField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        kwargs.setdefault(
            "help_text", "Days of the year separated by commas, e.g. February 15, August 15."
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return []
        try:
            return [str(date) for date in parse_month_day_list(value)]
        except TermError as error:
            raise ValidationError(str(error), code="invalid") from error

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            try:
                return ", ".join(date.label for date in parse_month_day_list(value))
            except TermError:
                return ", ".join(str(item) for item in value)
        return value

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != list(initial or [])
        except ValidationError:
            return True


class MonthDayListField(models.JSONField):
    """Any number of yearly dates: semiannual, quarterly or monthly schedules alike."""

    description = "Days of the year (a list of MM-DD)"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        try:
            normalised = [str(date) for date in parse_month_day_list(value or [])]
        except TermError as error:
            raise ValidationError(str(error), code="invalid") from error
        if normalised != list(value or []):
            raise ValidationError("Dates must be written MM-DD, in order.", code="invalid")

    def formfield(self, **kwargs):
        return models.Field.formfield(self, **{"form_class": MonthDayListFormField, **kwargs})
