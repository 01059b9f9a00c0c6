"""System checks of the holders app (`manage.py check`, and every migrate and runserver)."""

from django.conf import settings
from django.core import checks

from holders import fastrows


@checks.register("holders")
def compiled_row_checks(app_configs=None, **kwargs):
    """An installation without the compiled row checks imports every list correctly, but a
    large one takes about three times as long: say so where operators look."""
    if not settings.TRUSTDESK_COMPILED_ROW_CHECKS or fastrows.available():
        return []
    return [
        checks.Warning(
            f"The compiled row checks of holders files ({fastrows.LIBRARY}) are not built: "
            "every row of an imported list is checked in Python, about three times as long "
            "for a large list.",
            hint="Run `make install` (it needs a C compiler), or set "
            "TRUSTDESK_COMPILED_ROW_CHECKS=false to silence this.",
            id="holders.W001",
        )
    ]
