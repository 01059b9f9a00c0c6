"""The trustee's own standing: its eligibility under every agreement (§4.1(a), (b)) and its
conflicting interests (§4.1(c), TIA §310(b)).

Eligibility: the bank's figures from its latest published report of condition are entered
once (BankCondition) and checked against every active agreement with terms, each against its
own §4.1(a) (standing_rules.eligibility). One EligibilityResult per agreement and report; a
result that fails is flagged on the agreement and escalated: the trustee must resign (§4.1(b)).

Conflicting interests: recorded with the day ascertained. Their days run only while the
securities are in default (trustee.workflows.defaults.agreement_in_default), from the later
of the day ascertained and the day the default began: the clock is a CONFLICTING_INTEREST event
on the calendar (its CONFLICT_ELIMINATION and CONFLICT_NOTICE duties). A default cured or waived
before the days run stops the clock; not eliminated in time, the notice to Holders is due
(TIA §310(b)(ii)), with maker-checker.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from trustee import standing_rules as rules
from trustee.models import Agreement, BankCondition, ConflictCase
from trustee.workflows.conflicts import (
    conflict_eliminate,
    conflict_notice_approve,
    conflict_notice_draft,
    conflict_record,
    conflict_resign,
    conflicts_advance,
    default_since,
)
from trustee.workflows.eligibility import (
    affiliation_record,
    bank_condition_enter,
    eligibility_check,
    eligibility_resign,
    eligibility_sweep,
    flagged_agreements,
)


def sweep(*, today: date) -> dict[str, int]:
    """What this workflow does on its own each hour; safe to run twice or at once."""
    return {"eligibility_checked": eligibility_sweep(today=today), **conflicts_advance(today=today)}


def demo_seed(*, today: date) -> None:
    """Demo rows an officer can walk in the admin (called by load_demo); idempotent.

    One report of condition, checked against both demo guarantees. The figures are chosen so
    that the walk shows both outcomes from one entry: $75,000,000 of capital and surplus meets
    both agreements' $50,000,000 minimum (§4.1(a)(ii)), and a rating in the fourth category
    meets Hartford, which asks for none, but not HSB, which asks for one of the three highest:
    HSB is flagged, the trustee must resign (§4.1(b)). The bank's affiliation with the
    Guarantor is recorded for Hartford only: HSB's result also names the missing fact, which the
    officer records and sees the agreement checked again. One conflicting interest on Hartford,
    recorded while not in default: no clock runs until a default is recorded (the walk records
    one)."""
    from trustee.models import TrustOfficer

    officer = (
        TrustOfficer.objects.filter(
            is_active=True, user__is_active=True, is_responsible_officer=True
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    hartford = Agreement.objects.filter(slug="hartford-capital-iii", terms__isnull=False).first()
    if officer is None or hartford is None:
        return
    user = officer.user
    source = "Demo: Consolidated Report of Condition (FFIEC 031), Schedule RC"
    if not BankCondition.objects.filter(source_reference=source).exists():
        if not hartford.affiliation_facts.exists():
            affiliation_record(
                agreement=hartford,
                is_affiliate=False,
                note="Demo: no common control with The Hartford per the bank's affiliate list.",
                by=user,
                today=today,
            )
        quarter_end = _last_quarter_end(today)
        condition = bank_condition_enter(
            report_date=quarter_end,
            capital_surplus=Decimal("75000000.00"),
            charter=rules.Charter.STATE_BANK,
            rating_category=4,
            rating_agency="Demo NRSRO",
            source_reference=source,
            by=user,
            today=today,
        )
        eligibility_check(condition_id=condition.pk, by=user, today=today)
    if not ConflictCase.objects.filter(agreement=hartford).exists():
        conflict_record(
            agreement=hartford,
            ascertained_on=today - timedelta(days=5),
            description="Demo: the bank became trustee under another indenture of The Hartford "
            "whose securities rank alongside these (TIA §310(b)(1)).",
            by=user,
            today=today,
        )


def _last_quarter_end(today: date) -> date:
    month = ((today.month - 1) // 3) * 3
    if month == 0:
        return date(today.year - 1, 12, 31)
    return date(today.year, month + 1, 1) - timedelta(days=1)


__all__ = [
    "affiliation_record",
    "bank_condition_enter",
    "conflict_eliminate",
    "conflict_notice_approve",
    "conflict_notice_draft",
    "conflict_record",
    "conflict_resign",
    "conflicts_advance",
    "default_since",
    "demo_seed",
    "eligibility_check",
    "eligibility_resign",
    "eligibility_sweep",
    "flagged_agreements",
    "sweep",
]
