"""The trustee's eligibility under every agreement (§4.1(a), (b)).

The bank's figures from its latest published report of condition are entered once
(BankCondition) and checked against every active agreement with terms, each against its own
§4.1(a) (standing_rules.eligibility): one EligibilityResult per agreement and report; a result
that fails is flagged on the agreement and escalated: the trustee must resign (§4.1(b)).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction

from trustee import standing_rules as rules
from trustee.models import AffiliationFact, Agreement, BankCondition, EligibilityResult
from trustee.models.standing import ELIGIBILITY_LABELS
from trustee.obligations import TransitionRefused
from trustee.roles import require_preparer, require_responsible
from trustee.workflows.common import Flow, apply_transition, today_or_now
from trustee.workflows.standing_common import actor as _actor
from trustee.workflows.standing_common import step as _step

E = rules.EligibilityState


def bank_condition_enter(
    *,
    report_date,
    capital_surplus,
    charter,
    source_reference,
    by,
    rating_category=None,
    rating_agency="",
    today: date | None = None,
):
    """Enter the bank's figures from its latest published report of condition. The sweep (or
    the officer, at once) checks them against every agreement."""
    require_preparer(by, "Entering a report of condition")
    today = today_or_now(today)
    errors = {}
    if report_date is None:
        errors["report_date"] = "Give the date of the report of condition."
    elif report_date > today:
        errors["report_date"] = "A report of condition cannot be dated in the future."
    try:
        capital = Decimal(capital_surplus)
    except (InvalidOperation, TypeError):
        capital = None
    if capital is None or not capital.is_finite() or capital < 0:
        errors["capital_surplus"] = "Give the combined capital and surplus in dollars (≥ 0)."
    if charter not in set(rules.Charter):
        errors["charter"] = "National bank, state chartered bank, or other."
    if rating_category is not None and not 1 <= int(rating_category) <= 20:
        errors["rating_category"] = "Rating categories count from 1 (the highest)."
    if not (source_reference or "").strip():
        errors["source_reference"] = "Say where the figures come from (the report and its date)."
    if errors:
        raise TransitionRefused(errors)
    return BankCondition.objects.create(
        report_date=report_date,
        capital_surplus=capital,
        charter=charter,
        rating_category=rating_category,
        rating_agency=(rating_agency or "").strip(),
        source_reference=source_reference.strip(),
        entered_by=by,
    )


def _requirements(terms) -> rules.Requirements:
    sections = {c.term: c.section for c in terms.citations.all()}
    capital = sections.get("min_capital_surplus") or "4.1(a)(ii)"
    return rules.Requirements(
        min_capital_surplus=terms.min_capital_surplus,
        rating_categories=terms.rating_categories,
        capital_section=capital,
        rating_section=sections.get("rating_categories") or capital,
    )


def _latest_affiliation(agreement) -> AffiliationFact | None:
    return agreement.affiliation_facts.order_by("-recorded_on", "-pk").first()


def _is_latest(condition) -> bool:
    later = BankCondition.objects.filter(state=BankCondition.State.CHECKED).exclude(pk=condition.pk)
    return not any(
        (other.report_date, other.pk) > (condition.report_date, condition.pk) for other in later
    )


def eligibility_check(*, condition_id, by, today: date | None = None, agreements=None):
    """Check one report of condition against every active agreement with terms (or the ones
    given): one result per agreement, each reason citing its section. A result that fails is
    escalated: the trustee must resign (§4.1(b)). Safe to run again: results are updated in
    place and a step is written only when the outcome changes."""
    if by is not None:
        require_preparer(by, "Checking eligibility")
    today = today_or_now(today)
    counts = {state: 0 for state in E}
    with transaction.atomic():
        condition = BankCondition.objects.select_for_update().get(pk=condition_id)
        latest = _is_latest(condition)
        facts = rules.Condition(
            report_date=condition.report_date,
            capital_surplus=condition.capital_surplus,
            charter=condition.charter,
            rating_category=condition.rating_category,
        )
        rows = agreements
        if rows is None:
            rows = Agreement.objects.filter(status=Agreement.Status.ACTIVE, terms__isnull=False)
        rows = rows.select_related("terms").prefetch_related("terms__citations").order_by("pk")
        for agreement in rows:
            affiliation = _latest_affiliation(agreement)
            outcome = rules.eligibility(
                condition=facts,
                requirements=_requirements(agreement.terms),
                is_affiliate=affiliation.is_affiliate if affiliation else None,
            )
            state = outcome.state if latest else E.SUPERSEDED
            result = _result_write(condition, agreement, state, outcome, by=by, today=today)
            counts[E(result.state)] += 1
            if latest:
                _supersede_older(agreement, condition, by=by, today=today)
        condition.state = BankCondition.State.CHECKED
        condition.checked_on = today
        condition.save(update_fields=["state", "checked_on", "updated_at"])
    return counts


def _result_write(condition, agreement, state, outcome, *, by, today):
    reasons = list(outcome.reasons)
    result = (
        EligibilityResult.objects.select_for_update()
        .filter(condition=condition, agreement=agreement)
        .first()
    )
    summary = " ".join(outcome.failures) or "; ".join(reasons)
    if state == E.INELIGIBLE:
        summary += " The trustee must resign (§4.1(b))."
    if result is None:
        result = EligibilityResult.objects.create(
            condition=condition,
            agreement=agreement,
            state=state,
            reasons=reasons,
            checked_on=today,
        )
        _step(
            result,
            Flow.ELIGIBILITY,
            old="",
            new=state,
            by=by,
            on=today,
            comment=f"{condition} checked: {summary}",
            notify=state == E.INELIGIBLE,
        )
        return result
    if result.state == E.RESIGNING or (result.state == state and result.reasons == reasons):
        return result
    result.reasons, result.checked_on = reasons, today
    if result.state == state:
        result.save(update_fields=["reasons", "checked_on", "updated_at"])
        _step(
            result,
            Flow.ELIGIBILITY,
            old=state,
            new=state,
            by=by,
            on=today,
            comment=f"Checked again: {summary}",
        )
        return result
    apply_transition(
        result,
        Flow.ELIGIBILITY,
        ELIGIBILITY_LABELS,
        rules.ELIGIBILITY_TRANSITIONS,
        state,
        by=_actor(by),
        on=today,
        comment=f"Checked again: {summary}",
        notify=state == E.INELIGIBLE,
        fields=["reasons", "checked_on"],
    )
    return result


def _supersede_older(agreement, condition, *, by, today):
    older = (
        EligibilityResult.objects.select_for_update()
        .filter(agreement=agreement, state__in=list(rules.ELIGIBILITY_CURRENT))
        .exclude(condition=condition)
    )
    for result in older:
        apply_transition(
            result,
            Flow.ELIGIBILITY,
            ELIGIBILITY_LABELS,
            rules.ELIGIBILITY_TRANSITIONS,
            E.SUPERSEDED,
            by=_actor(by),
            on=today,
            comment=f"Superseded by the {condition}.",
        )


def affiliation_record(
    *, agreement, is_affiliate, note, by, recorded_on=None, today: date | None = None
):
    """Record whether the bank is an Affiliate of the agreement's Guarantor (§4.1(a)(i)), and
    check the latest report of condition against the agreement again."""
    require_preparer(by, "Recording an affiliation")
    today = today_or_now(today)
    recorded_on = recorded_on or today
    if recorded_on > today:
        raise TransitionRefused({"recorded_on": "This date is in the future."})
    if not (note or "").strip():
        raise TransitionRefused({"note": "Say what the determination rests on."})
    with transaction.atomic():
        fact = AffiliationFact.objects.create(
            agreement=agreement,
            is_affiliate=bool(is_affiliate),
            note=note.strip(),
            recorded_on=recorded_on,
            recorded_by=by,
        )
        latest = (
            BankCondition.objects.filter(state=BankCondition.State.CHECKED)
            .order_by("-report_date", "-pk")
            .first()
        )
        if latest is not None:
            eligibility_check(
                condition_id=latest.pk,
                by=by,
                today=today,
                agreements=Agreement.objects.filter(pk=agreement.pk, terms__isnull=False),
            )
    return fact


def eligibility_resign(*, result_id, by, note, today: date | None = None):
    """A Responsible Officer records that the resignation §4.1(b) requires has started (its
    own workflow, §4.2, carries it on)."""
    require_responsible(by, "Starting the resignation (§4.1(b))")
    today = today_or_now(today)
    if not (note or "").strip():
        raise TransitionRefused({"note": "Say what was done (the resignation delivered, to whom)."})
    with transaction.atomic():
        result = EligibilityResult.objects.select_for_update().get(pk=result_id)
        result.note = note.strip()
        apply_transition(
            result,
            Flow.ELIGIBILITY,
            ELIGIBILITY_LABELS,
            rules.ELIGIBILITY_TRANSITIONS,
            E.RESIGNING,
            by=by,
            on=today,
            comment=f"Resignation under §4.1(b) started: {result.note}",
            fields=["note"],
        )
    return result


def eligibility_sweep(*, today: date | None = None) -> int:
    """Check every report of condition entered and not yet checked (each claimed)."""
    today = today_or_now(today)
    checked = 0
    pending = BankCondition.objects.filter(state=BankCondition.State.ENTERED).order_by(
        "report_date", "pk"
    )
    for pk in list(pending.values_list("pk", flat=True)):
        with transaction.atomic():
            claimed = (
                BankCondition.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, state=BankCondition.State.ENTERED)
                .exists()
            )
            if not claimed:
                continue
            eligibility_check(condition_id=pk, by=None, today=today)
            checked += 1
    return checked


def flagged_agreements():
    """Agreements under which the trustee is not eligible (the current result fails)."""
    return Agreement.objects.filter(eligibility_results__state=E.INELIGIBLE).distinct()
