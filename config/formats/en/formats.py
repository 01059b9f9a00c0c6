# Dates as the officers read them everywhere, the admin's own pages included: "Mon 16 Feb 2026"
# (the desk's pages add the ISO date on hover). Django looks here for "en" and "en-us" once
# settings.FORMAT_MODULE_PATH = ["config.formats"].
DATE_FORMAT = "D j M Y"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "D j M Y, H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
# Input formats and the first day of the week are Django's own for "en" (not set here).
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
