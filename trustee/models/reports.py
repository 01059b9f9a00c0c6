"""What left the system: each report export, for the security reviewer's trail."""

from django.conf import settings
from django.db import models


class ReportExport(models.Model):
    """A report for supervisors or examiners downloaded as a file: which, as of when, in what
    form, how many rows, by whom. Written before the file is served; never changed."""

    report = models.CharField(max_length=60)
    as_of = models.DateField()
    format = models.CharField(max_length=10)
    rows = models.PositiveIntegerField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.report} as of {self.as_of:%Y-%m-%d} ({self.format}) by {self.by}"
