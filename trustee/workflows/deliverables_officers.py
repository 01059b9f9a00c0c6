"""Officers' Certificates and Opinions of Counsel for conditions precedent (§2.5, TIA
§314(c)): recorded against the act they support, examined for the four statements of §1.1
(TIA §314(e)) and the titles the agreement allows, accepted by a second officer or sent back."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from trustee import deliverable_rules as rules
from trustee.models import (
    OfficersCertificate,
    SignatoryTitle,
)
from trustee.models.deliverables import OFFICERS_LABELS
from trustee.obligations import TransitionRefused
from trustee.roles import require_preparer, require_responsible
from trustee.workflows.common import (
    Flow,
    apply_transition,
    today_or_now,
)
from trustee.workflows.deliverables_common import (
    OC,
    document_store,
    escalate_every,
    escalation_step,
    not_future,
    opened_step,
    refuse,
)

# == 2. Officers' Certificates and Opinions of Counsel (§2.5, TIA §314(c)) =====================


def _officers_move(case, new, **kwargs):
    return apply_transition(
        case,
        Flow.OFFICERS_CERTIFICATE,
        OFFICERS_LABELS,
        rules.OFFICERS_TRANSITIONS,
        new,
        **kwargs,
    )


def allowed_titles(agreement) -> dict[str, list[str]]:
    """The titles the agreement's §1.1 allows to sign, by group, labelled as the rule names
    them (e.g. "the first signer")."""
    groups: dict[str, list[str]] = {}
    for row in SignatoryTitle.objects.filter(agreement=agreement).order_by("group", "pk"):
        groups.setdefault(f"a {row.get_group_display()}", []).append(row.title)
    return groups


def _signers(rows) -> list[rules.Signer]:
    return [rules.Signer(str(r.get("name", "")), str(r.get("title", ""))) for r in rows or []]


def officers_problems(case) -> list[str]:
    return rules.officers_problems(
        kind=case.kind,
        signers=_signers(case.signers),
        statements=case.statements or {},
        allowed=allowed_titles(case.agreement),
        states_complied=case.states_complied,
    )


def officers_certificate_receive(
    *,
    agreement,
    kind: str,
    act: str,
    act_on: date,
    dated: date,
    received_on: date,
    file,
    file_name: str,
    by,
    act_section: str = "",
    today: date | None = None,
):
    """Record an Officers' Certificate or Opinion of Counsel against the act it supports."""
    require_preparer(by, "Recording an Officers' Certificate or opinion")
    today = today_or_now(today)
    if kind not in set(rules.DocumentKind):
        raise TransitionRefused({"kind": f"Unknown kind of document “{kind}”."})
    if not act.strip():
        raise TransitionRefused({"act": "Name the act the certificate supports."})
    not_future("received_on", received_on, today)
    if dated > received_on:
        raise TransitionRefused({"dated": "It cannot be dated after it was received."})
    with transaction.atomic():
        case = OfficersCertificate.objects.create(
            agreement=agreement,
            kind=kind,
            act=act.strip(),
            act_section=act_section.strip(),
            act_on=act_on,
            document=document_store(file=file, file_name=file_name, by=by),
            dated=dated,
            received_on=received_on,
            received_by=by,
        )
        opened_step(
            case,
            Flow.OFFICERS_CERTIFICATE,
            by=by,
            on=today,
            comment=f"{case.get_kind_display()} dated {dated:%Y-%m-%d} received "
            f"{received_on:%Y-%m-%d} for {case.act} on {act_on:%Y-%m-%d} (§2.5, TIA §314(c)): "
            f"{case.document}.",
        )
    return case


def officers_certificate_examine(
    *,
    case_id,
    by,
    signers: list[dict],
    statements: dict[str, bool],
    states_complied: bool | None,
    note: str = "",
    today: date | None = None,
):
    """§3.1(d)(i)(B): the officer records who signed it (names and titles as written) and
    which of the four statements it contains; the findings are kept with the case."""
    require_preparer(by, "Examining an Officers' Certificate or opinion")
    today = today_or_now(today)
    rows = [
        {"name": str(s.get("name", "")).strip(), "title": str(s.get("title", "")).strip()}
        for s in signers
        if str(s.get("name", "")).strip() or str(s.get("title", "")).strip()
    ]
    with transaction.atomic():
        case = (
            OfficersCertificate.objects.select_for_update(of=("self",))
            .select_related("agreement")
            .get(pk=case_id)
        )
        case.signers = rows
        case.statements = {code: bool(statements.get(code)) for code in rules.STATEMENT_CODES}
        case.states_complied = states_complied
        case.examination_note = note.strip()
        case.examined_by, case.examined_on = by, today
        case.problems = officers_problems(case)
        present = [s.clause for s in rules.STATEMENTS if case.statements[s.code]]
        findings = " ".join(case.problems) if case.problems else "It conforms."
        _officers_move(
            case,
            OC.EXAMINED,
            by=by,
            on=today,
            comment=f"Examined: statements present {', '.join(present) or 'none'}; signed by "
            f"{_signed_by(rows)}. {findings}",
            fields=[
                "signers",
                "statements",
                "states_complied",
                "examination_note",
                "examined_by",
                "examined_on",
                "problems",
            ],
        )
    return case


def _signed_by(rows):
    return "; ".join(f"{r['name']}, {r['title']}" for r in rows) or "nobody named"


def officers_certificate_accept(*, case_id, by, today: date | None = None):
    """A Responsible Officer other than the examiner accepts it as evidence that the condition
    precedent was met; refused, naming each, while a statement is missing or a signer's title
    is not one the agreement allows."""
    require_responsible(by, "Accepting an Officers' Certificate or opinion")
    today = today_or_now(today)
    with transaction.atomic():
        case = (
            OfficersCertificate.objects.select_for_update(of=("self",))
            .select_related("agreement")
            .get(pk=case_id)
        )
        if case.state != OC.EXAMINED:
            refuse(case, rules.Refused("only an examined certificate can be accepted."))
        if case.examined_by_id == by.pk:
            raise TransitionRefused(
                f"{case}: the officer who examined it cannot accept it: a second officer must."
            )
        # The titles are read again: the agreement's table may have been corrected since.
        problems = officers_problems(case)
        if problems:
            raise TransitionRefused([f"{case}: it cannot be accepted.", *problems])
        case.problems = []
        case.accepted_by, case.accepted_on = by, today
        present = ", ".join(f"{s.clause} {s.code}" for s in rules.STATEMENTS)
        _officers_move(
            case,
            OC.ACCEPTED,
            by=by,
            on=today,
            comment=f"Accepted as evidence for {case.act}: all four statements present "
            f"({present}); signed by {_signed_by(case.signers)}.",
            fields=["problems", "accepted_by", "accepted_on"],
        )
    return case


def officers_certificate_return(*, case_id, by, reason: str, today: date | None = None):
    """Sent back to the Guarantor: the reason, with every missing statement named."""
    require_responsible(by, "Sending back an Officers' Certificate or opinion")
    today = today_or_now(today)
    with transaction.atomic():
        case = (
            OfficersCertificate.objects.select_for_update(of=("self",))
            .select_related("agreement")
            .get(pk=case_id)
        )
        found = officers_problems(case) if case.state == OC.EXAMINED else []
        text = " ".join([reason.strip(), *[p for p in found if p not in reason]]).strip()
        if not text:
            raise TransitionRefused({"reason": "Say why it is sent back."})
        case.returned_reason = text
        _officers_move(
            case,
            OC.RETURNED,
            by=by,
            on=today,
            comment=f"Sent back: {text}",
            fields=["returned_reason"],
        )
    return case


def officers_certificate_resubmit(
    *, case_id, file, file_name: str, dated: date, received_on: date, by, today=None
):
    """A corrected certificate for the same act: examined afresh."""
    require_preparer(by, "Recording a corrected Officers' Certificate or opinion")
    today = today_or_now(today)
    not_future("received_on", received_on, today)
    if dated > received_on:
        raise TransitionRefused({"dated": "It cannot be dated after it was received."})
    with transaction.atomic():
        case = OfficersCertificate.objects.select_for_update().get(pk=case_id)
        if case.state != OC.RETURNED:
            refuse(case, rules.Refused("only a certificate sent back can be replaced."))
        case.document = document_store(file=file, file_name=file_name, by=by)
        case.dated, case.received_on, case.received_by = dated, received_on, by
        case.signers, case.statements, case.problems = [], {}, []
        case.states_complied = None
        case.examined_by = case.examined_on = None
        _officers_move(
            case,
            OC.RECEIVED,
            by=by,
            on=today,
            comment=f"Corrected {case.get_kind_display()} dated {dated:%Y-%m-%d} received "
            f"{received_on:%Y-%m-%d}: {case.document}.",
            fields=[
                "document",
                "dated",
                "received_on",
                "received_by",
                "signers",
                "statements",
                "problems",
                "states_complied",
                "examined_by",
                "examined_on",
            ],
        )
    return case


def officers_certificates_late(*, today: date | None = None) -> int:
    """The act's day has come and its evidence is not accepted: the trustee would act without
    the certificate §2.5 requires. The officers are e-mailed, again every few days."""
    today = today_or_now(today)
    every = escalate_every("officers_certificate")
    count = 0
    pending = OfficersCertificate.objects.filter(
        state__in=rules.OFFICERS_OPEN, act_on__lte=today
    ).values_list("pk", flat=True)
    for pk in list(pending):
        with transaction.atomic():
            case = (
                OfficersCertificate.objects.select_for_update(skip_locked=True)
                .filter(pk=pk)
                .first()
            )
            if case is None or case.state not in rules.OFFICERS_OPEN:
                continue
            if not rules.escalation_due(
                overdue_since=case.act_on,
                last_escalated=case.last_escalated_on,
                every_days=every,
                today=today,
            ):
                continue
            case.escalations += 1
            case.last_escalated_on = today
            case.save(update_fields=["escalations", "last_escalated_on", "updated_at"])
            escalation_step(
                case,
                Flow.OFFICERS_CERTIFICATE,
                on=today,
                comment=f"Escalation {case.escalations}: {case.act} is set for "
                f"{case.act_on:%Y-%m-%d} and its {case.get_kind_display()} is "
                f"{OFFICERS_LABELS[case.state].lower()}, not accepted (§2.5).",
            )
            count += 1
    return count
