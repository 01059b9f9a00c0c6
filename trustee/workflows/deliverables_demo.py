"""Demo rows for what the Guarantor owes the trustee (load_demo): the titles each demo
guarantee's §1.1 allows to sign an Officers' Certificate, quoted from the filings, and
certificate, officers' certificate and periodic report cases in each state an officer walks.

Neither demo guarantee states a fiscal year end or a number of days for the compliance
certificate (§2.4 defers to TIA §314), so the calendar has no certificate duty for them and
the cases are opened as an officer would, with the due date's basis saying it is the
demo's. The documents are fictional and say so. Safe to run again: each row is looked up by
its natural key first.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from trustee.models import (
    Agreement,
    ComplianceCertificate,
    OfficersCertificate,
    PeriodicReport,
    SignatoryTitle,
    TrustOfficer,
)
from trustee.workflows import deliverables as flows

# §1.1 "Officers' Certificate", verbatim (whitespace normalised), and its titles by group.
TITLES = {
    "hartford-capital-iii": (
        '"Officers\' Certificate" means, with respect to any Person, a certificate signed by '
        "the Chairman and Chief Executive Officer, President or a Vice President, and by the "
        "Treasurer, an Associate Treasurer, an Assistant Treasurer, the Controller, the "
        "Secretary or an Assistant Secretary of such Person, and delivered to the Guarantee "
        "Trustee.",
        {
            "first": ["Chairman and Chief Executive Officer", "President", "Vice President"],
            "second": [
                "Treasurer",
                "Associate Treasurer",
                "Assistant Treasurer",
                "Controller",
                "Secretary",
                "Assistant Secretary",
            ],
        },
    ),
    "hsb-capital-ii": (
        '"Officers\' Certificate" means a certificate signed by one of the Senior Vice '
        "Presidents or Chief Executive Officer or the President or Vice Presidents of the "
        "Guarantor, and by the Treasurer, an Assistant Treasurer, the Corporate Secretary or an "
        "Assistant Corporate Secretary of the Guarantor, and delivered to the Guarantee "
        "Trustee.",
        {
            "first": [
                "Senior Vice President",
                "Chief Executive Officer",
                "President",
                "Vice President",
            ],
            "second": [
                "Treasurer",
                "Assistant Treasurer",
                "Corporate Secretary",
                "Assistant Corporate Secretary",
            ],
        },
    ),
}

BASIS = (
    "Demo: the agreement states no date for the certificate (§2.4: “at the times required by "
    "Section 314 of the Trust Indenture Act”; TIA §314(a)(4): “not less often than "
    "annually”); the due date is the demo's."
)
ALL_FOUR = {"read": True, "scope": True, "sufficient": True, "complied": True}


def _file(title: str) -> bytes:
    return (
        f"DEMO DOCUMENT - FICTIONAL, NOT FROM ANY FILING\n\n{title}\n\n"
        "The undersigned have read the covenant and condition and the definitions relating "
        "thereto, describe below the nature and scope of their examination, have made such "
        "examination as is necessary to express an informed opinion, and in their opinion the "
        "condition has been complied with.\n"
    ).encode()


def titles_seed(agreement) -> None:
    quote, groups = TITLES[agreement.slug]
    for group, titles in groups.items():
        for title in titles:
            SignatoryTitle.objects.update_or_create(
                agreement=agreement,
                group=group,
                title=title,
                defaults={"section": "1.1", "quote": quote},
            )


def _year_end(today: date, years_back: int) -> date:
    return date(today.year - years_back, 12, 31)


def _quarter_end(day: date) -> date:
    """The last calendar quarter's end before `day`."""
    month = (day.month - 1) // 3 * 3
    if month == 0:
        return date(day.year - 1, 12, 31)
    return date(day.year, month, calendar.monthrange(day.year, month)[1])


def _certificate(agreement, *, years_back, due_on, maker, today):
    period_end = _year_end(today, years_back)
    case = ComplianceCertificate.objects.filter(agreement=agreement, period_end=period_end).first()
    if case is not None:
        return None
    return flows.certificate_expect(
        agreement=agreement,
        period_end=period_end,
        due_on=max(due_on, period_end + timedelta(days=1)),
        basis=BASIS,
        by=maker,
        today=today,
    )


def _receive(case, *, on, by, today):
    return flows.certificate_receive(
        case_id=case.pk,
        file=_file(f"Compliance certificate, fiscal year ended {case.period_end:%B %d, %Y}"),
        file_name=f"compliance-certificate-{case.period_end:%Y}.txt",
        received_on=min(on, today),
        by=by,
        today=today,
    )


def _examine(case, *, by, today, principal=True):
    return flows.certificate_examine(
        case_id=case.pk,
        by=by,
        signer_name="Jane Q. Demo (fictional)",
        signer_title="Chief Financial Officer" if principal else "Assistant Secretary",
        signer_is_principal=principal,
        covers_period=True,
        states_compliance=True,
        today=today,
    )


def certificates_seed(hartford, hsb, maker, checker, today):
    # Accepted a few years back, on both.
    for agreement in (hartford, hsb):
        end = _year_end(today, 3)
        case = _certificate(
            agreement, years_back=3, due_on=end + timedelta(days=120), maker=maker, today=today
        )
        if case is not None:
            _receive(case, on=case.due_on - timedelta(days=5), by=maker, today=today)
            _examine(case, by=maker, today=today)
            flows.certificate_accept(case_id=case.pk, by=checker, today=today)
    # Hartford: one late (the sweep drafts the chase letter), one expected.
    _certificate(
        hartford, years_back=2, due_on=today - timedelta(days=10), maker=maker, today=today
    )
    _certificate(
        hartford, years_back=1, due_on=today + timedelta(days=30), maker=maker, today=today
    )
    # HSB: one received to examine, one sent back awaiting a corrected certificate.
    case = _certificate(
        hsb, years_back=2, due_on=today + timedelta(days=3), maker=checker, today=today
    )
    if case is not None:
        _receive(case, on=today - timedelta(days=1), by=checker, today=today)
    case = _certificate(
        hsb, years_back=1, due_on=today + timedelta(days=20), maker=checker, today=today
    )
    if case is not None:
        _receive(case, on=today - timedelta(days=2), by=checker, today=today)
        _examine(case, by=checker, today=today, principal=False)
        flows.certificate_return(
            case_id=case.pk,
            by=maker,
            reason="Signed by an Assistant Secretary: TIA §314(a)(4) requires the principal "
            "executive, financial or accounting officer.",
            today=today,
        )


def officers_seed(hartford, hsb, maker, checker, today):
    act = "Amendment of the Guarantee Agreement under §8.2 (demo)"
    if not OfficersCertificate.objects.filter(agreement=hartford, act=act).exists():
        flows.officers_certificate_receive(
            agreement=hartford,
            kind="officers_certificate",
            act=act,
            act_section="8.2",
            act_on=today + timedelta(days=14),
            dated=today - timedelta(days=2),
            received_on=today - timedelta(days=1),
            file=_file("Officers' Certificate: conditions precedent to the amendment"),
            file_name="officers-certificate-amendment.txt",
            by=maker,
            today=today,
        )
    act = "Amendment of the Guarantee Agreement under §8.2 (demo, statement missing)"
    if not OfficersCertificate.objects.filter(agreement=hsb, act=act).exists():
        case = flows.officers_certificate_receive(
            agreement=hsb,
            kind="officers_certificate",
            act=act,
            act_section="8.2",
            act_on=today + timedelta(days=7),
            dated=today - timedelta(days=4),
            received_on=today - timedelta(days=3),
            file=_file("Officers' Certificate (no statement of scope)"),
            file_name="officers-certificate-hsb.txt",
            by=checker,
            today=today,
        )
        flows.officers_certificate_examine(
            case_id=case.pk,
            by=checker,
            signers=[
                {"name": "John Demo (fictional)", "title": "Senior Vice President"},
                {"name": "Mary Demo (fictional)", "title": "Treasurer"},
            ],
            statements={**ALL_FOUR, "scope": False},
            states_complied=True,
            note="No statement of the nature and scope of the examination.",
            today=today,
        )


def reports_seed(hartford, hsb, maker, checker, today):
    last_year = _year_end(today, 1)
    if not PeriodicReport.objects.filter(agreement=hartford, kind="annual").exists():
        flows.periodic_report_record(
            agreement=hartford,
            kind="annual",
            period_end=last_year,
            received_on=today - timedelta(days=5),
            file=_file(f"Annual report (Form 10-K) for {last_year:%Y}"),
            file_name=f"10-K-{last_year:%Y}.txt",
            by=maker,
            today=today,
        )
    quarter = _quarter_end(today - timedelta(days=100))
    if not PeriodicReport.objects.filter(agreement=hartford, kind="quarterly").exists():
        case = flows.periodic_report_record(
            agreement=hartford,
            kind="quarterly",
            period_end=quarter,
            received_on=today - timedelta(days=40),
            file=_file("Quarterly report (Form 10-Q)"),
            file_name="10-Q.txt",
            by=maker,
            today=today,
        )
        flows.periodic_report_file(case_id=case.pk, by=checker, note="Read; nothing to note.")
    quarter = _quarter_end(today - timedelta(days=50))
    if not PeriodicReport.objects.filter(agreement=hsb, kind="quarterly").exists():
        flows.periodic_report_expect(
            agreement=hsb,
            kind="quarterly",
            period_end=quarter,
            due_on=today - timedelta(days=4),
            basis="Demo: filed with the SEC on EDGAR; §2.4 gives no number of days (TIA §314(a)).",
            by=checker,
            today=today,
        )


def seed(*, today: date) -> None:
    agreements = {a.slug: a for a in Agreement.objects.filter(slug__in=list(TITLES))}
    officers = {
        o.user.username: o.user
        for o in TrustOfficer.objects.filter(user__username__in=["mreyes", "dchen"]).select_related(
            "user"
        )
    }
    if len(agreements) < len(TITLES) or len(officers) < 2:
        return
    for agreement in agreements.values():
        titles_seed(agreement)
    hartford, hsb = agreements["hartford-capital-iii"], agreements["hsb-capital-ii"]
    maker, checker = officers["mreyes"], officers["dchen"]
    certificates_seed(hartford, hsb, maker, checker, today)
    officers_seed(hartford, hsb, maker, checker, today)
    reports_seed(hartford, hsb, maker, checker, today)
    flows.sweep(today=today)
