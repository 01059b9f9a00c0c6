"""Plain functions that make valid rows, with every value overridable by keyword."""

import itertools
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model

from trustee.models import Agreement, AgreementParty, AgreementTerms, Party, Security, TrustOfficer
from trustee.roles import responsible_designation_sync

_seq = itertools.count(1)


def make_party(**values):
    n = next(_seq)
    defaults = {
        "name": f"Party {n} Inc.",
        "short_name": f"Party {n}",
        "kind": Party.Kind.GUARANTOR,
        "address_lines": "1 Main Street",
        "city": "Hartford",
        "state": "CT",
        "postal_code": "06115",
    }
    party = Party(**{**defaults, **values})
    party.full_clean()
    party.save()
    return party


def make_agreement(**values):
    n = next(_seq)
    defaults = {
        "kind": Agreement.Kind.GUARANTEE_AGREEMENT,
        "short_name": f"Test Capital {n} Guarantee",
        "slug": f"test-capital-{n}",
        "title": "Guarantee Agreement",
        "dated_as_of": date(2001, 10, 26),
        "governing_law": "New York",
        "our_role": Agreement.OurRole.GUARANTEE_TRUSTEE,
    }
    agreement = Agreement(**{**defaults, **values})
    agreement.full_clean()
    agreement.save()
    return agreement


def with_guarantor(agreement, party=None):
    party = party or make_party()
    AgreementParty.objects.create(agreement=agreement, party=party, role="guarantor")
    return party


# Terms shaped like the Hartford Capital III guarantee; tests change the one they are about.
HARTFORD_LIKE_TERMS = {
    "holder_list_dates": ["02-15", "08-15"],
    "holder_list_as_of_days": 15,
    "holder_list_request_days": 30,
    "report_anchor": "07-01",
    "report_window_days": 60,
    "default_notice_days": 90,
    "default_notice_runs_from": "occurrence",
    "cure_days": 60,
    "cure_runs_from": "notice_to_guarantor",
    "majority_percent": Decimal("50"),
    "majority_comparison": "more_than",
    "majority_basis": "liquidation_preference",
    "min_capital_surplus": Decimal("50000000"),
    "successor_days": 60,
    "successor_runs_from": "resignation_delivered",
    "conflicting_interest_days": 90,
    "conflicting_interest_notice_days": 10,
    "holder_communication_business_days": 5,
}


def build_terms(agreement=None, **values):
    """Unsaved terms (for validation tests); the agreement is made if not given."""
    return AgreementTerms(
        agreement=agreement or make_agreement(), **{**HARTFORD_LIKE_TERMS, **values}
    )


def make_terms(agreement=None, **values):
    terms = build_terms(agreement, **values)
    terms.full_clean()
    terms.save()
    return terms


def make_security(agreement=None, **values):
    defaults = {
        "title": f"7.45% Preferred Securities, Series {next(_seq)}",
        "kind": Security.Kind.PREFERRED_SECURITIES,
        "coupon_rate": Decimal("7.45"),
        "unit_amount": Decimal("25"),
        "unit_basis": Security.UnitBasis.LIQUIDATION_PREFERENCE,
        "aggregate_amount": Decimal("575000000"),
        "amount_outstanding": Decimal("575000000"),
    }
    security = Security(agreement=agreement or make_agreement(), **{**defaults, **values})
    security.full_clean()
    security.save()
    return security


def make_officer(username=None, *, responsible=True, staff=True, superuser=False):
    username = username or f"officer{next(_seq)}"
    user = get_user_model().objects.create_user(
        username=username,
        password="correct horse battery staple",
        first_name="Test",
        last_name=username.title(),
        is_staff=staff,
        is_superuser=superuser,
    )
    officer = TrustOfficer.objects.create(
        user=user, title="Vice President", is_responsible_officer=responsible
    )
    responsible_designation_sync(officer)  # Responsible Officer, else Trust Administrator
    return officer
