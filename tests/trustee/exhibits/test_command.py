"""`manage.py read_agreement FILE [--json]`, through call_command: no database needed."""

import io
import json

from django.core.management import call_command

from tests.trustee.exhibits.conftest import HARTFORD, HSB, seed


def test_json_is_one_object_with_every_term(tmp_path):
    seed(HARTFORD)
    out = io.StringIO()
    call_command("read_agreement", str(HARTFORD), "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["kind"] == "guarantee agreement"
    assert result["dated_as_of"] == "2001-10-26"
    assert result["governing_law"] == "New York"
    assert result["parties"]["trustee"] == "Wilmington Trust Company"
    assert result["terms"]["holder_list_dates"]["value"] == ["02-15", "08-15"]
    assert result["terms"]["holder_list_commencement"] == {"value": None}
    for term in result["terms"].values():
        assert set(term) == {"value"} or {"value", "section", "quote"} <= set(term)


def test_summary_is_readable():
    seed(HSB)
    out = io.StringIO()
    call_command("read_agreement", str(HSB), stdout=out)
    text = out.getvalue()
    assert "Kind:          guarantee agreement" in text
    assert "holder_list_commencement     1998-07-01  [§2.2(a)]" in text
    assert "report_due                   -" in text
    assert "to Guarantee Trustee [§8.3(a)(ii)]" in text
    assert "HSB Group, Inc." in text
