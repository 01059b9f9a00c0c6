"""The kinds of notice, who they go to, by which channels, and what their templates are given.

Templates live under templates/notices/<kind>/: subject.txt, body.txt and body.html for the
e-mail, letter.txt for the first-class letter. Each is a Django template rendered with the
variables listed in `variables`, which the admin's preview shows for a sample recipient.
"""

from dataclasses import dataclass, field

COMMON_VARIABLES = {
    "notice.reference": "The notice's reference, e.g. DN-2026-0001",
    "notice.title": "The title the officer gave it",
    "notice.details": "What the officer wrote: the default, the report, the request",
    "notice.date": "The date of approval (a date)",
    "agreement.short_name": "e.g. Hartford Capital III Guarantee",
    "agreement.title": "The agreement's full title",
    "agreement.dated_as_of": "The agreement's date (a date)",
    "security.title": "e.g. 7.45% Preferred Securities, Series A (empty if none)",
    "trustee.name": "Our bank's legal name under the agreement",
    "guarantor.name": "The Guarantor's legal name",
    "recipient.name": "The addressee's registered name",
    "recipient.address": "The addressee's address on one line",
    "section": "The agreement's section the notice is given under, e.g. 2.7(a)",
    "terms.<name>": "Any term of the agreement, e.g. terms.holder_list_request_days",
}


@dataclass(frozen=True)
class NoticeKind:
    code: str
    label: str
    audience: str  # "holders" (from a List of Holders), "guarantor" (§8.3 notice address)
    letter_required: bool  # a first-class letter to every recipient, e-mail alongside
    section: str
    variables: dict = field(default_factory=dict)

    @property
    def template_dir(self) -> str:
        return f"notices/{self.code}"


KINDS = {
    kind.code: kind
    for kind in (
        NoticeKind(
            code="default_notice",
            label="Notice of default to Holders",
            audience="holders",
            letter_required=True,
            section="2.7(a)",
            variables={**COMMON_VARIABLES},
        ),
        NoticeKind(
            code="annual_report",
            label="Annual report to Holders (TIA §313)",
            audience="holders",
            letter_required=True,
            section="2.3",
            variables={**COMMON_VARIABLES},
        ),
        NoticeKind(
            code="list_request",
            label="Request for a List of Holders (to the Guarantor)",
            audience="guarantor",
            letter_required=True,
            section="2.2(a)",
            variables={**COMMON_VARIABLES},
        ),
        NoticeKind(
            code="certificate_chase",
            label="Late compliance certificate (to the Guarantor)",
            audience="guarantor",
            letter_required=True,
            section="2.4",
            variables={**COMMON_VARIABLES},
        ),
        NoticeKind(
            code="conflict_notice",
            label="Notice of conflicting interest to Holders (TIA §310(b))",
            audience="holders",
            letter_required=True,
            section="4.1(c)",
            variables={**COMMON_VARIABLES},
        ),
        NoticeKind(
            code="holder_communication",
            label="Holders' communication mailed for them (TIA §312(b))",
            audience="holders",
            letter_required=True,
            section="TIA §312(b)",
            variables={**COMMON_VARIABLES},
        ),
    )
}
TEMPLATE_PARTS = ("subject.txt", "body.txt", "body.html", "letter.txt")
