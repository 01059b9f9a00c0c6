"""What the Guarantor owes the trustee, as rules: the annual compliance certificate (§2.4, TIA
§314(a)(4)), Officers' Certificates and Opinions of Counsel for conditions precedent (§2.5,
TIA §314(c) and (e), the four statements of §1.1) and the periodic reports (§2.4, TIA
§314(a)(1)).

No Django here: the states and their transitions, when a certificate is late, the checks an
officer's examination is held to (§3.1(d)(i)(B): "to determine whether or not they conform")
and what an uploaded document may be. trustee/workflows/deliverables.py applies them to rows.
The titles that may sign an Officers' Certificate are a term of each agreement (its §1.1
definition): they come in as data, never from this module.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from trustee.workflow_rules import Refused, check, escalation_due

__all__ = [
    "CERTIFICATE_OPEN",
    "CERTIFICATE_TRANSITIONS",
    "DOCUMENT_TYPES",
    "OFFICERS_OPEN",
    "OFFICERS_TRANSITIONS",
    "PERIODIC_OPEN",
    "PERIODIC_TRANSITIONS",
    "STATEMENTS",
    "CertificateState",
    "DocumentKind",
    "OfficersState",
    "PeriodicState",
    "Refused",
    "Signer",
    "Statement",
    "check",
    "compliance_problems",
    "document_type",
    "escalation_due",
    "is_late",
    "late_since",
    "missing_statements",
    "normalize_title",
    "officers_problems",
    "opens_on",
    "period_end_from_key",
    "signer_problems",
]


# -- the annual compliance certificate (§2.4, TIA §314(a)(4)) ------------------------------


class CertificateState(enum.StrEnum):
    EXPECTED = "expected"
    LATE = "late"
    RECEIVED = "received"
    EXAMINED = "examined"
    RETURNED = "returned"
    ACCEPTED = "accepted"
    NOT_REQUIRED = "not_required"


C = CertificateState
CERTIFICATE_TRANSITIONS: dict[str, set[str]] = {
    C.EXPECTED: {C.RECEIVED, C.LATE, C.NOT_REQUIRED},
    # late → late: a repeated escalation while the certificate has still not come
    C.LATE: {C.LATE, C.RECEIVED, C.NOT_REQUIRED},
    C.RECEIVED: {C.EXAMINED, C.RETURNED},
    # examined again (a finding corrected before acceptance), accepted by a second officer,
    # or sent back
    C.EXAMINED: {C.EXAMINED, C.ACCEPTED, C.RETURNED},
    # sent back: the Guarantor still owes a conforming certificate, late once its day passed
    C.RETURNED: {C.RECEIVED, C.LATE, C.NOT_REQUIRED},
    C.ACCEPTED: set(),
    C.NOT_REQUIRED: set(),
}
CERTIFICATE_OPEN = {C.EXPECTED, C.LATE, C.RECEIVED, C.EXAMINED, C.RETURNED}
# Waiting for the Guarantor: the states the lateness clock runs in.
CERTIFICATE_AWAITED = {C.EXPECTED, C.LATE, C.RETURNED}


def opens_on(period_end: date) -> date:
    """A certificate for a fiscal year is expected once that year has ended."""
    return period_end + timedelta(days=1)


def late_since(due: date) -> date:
    """ "On or before" the due date: late from the day after."""
    return due + timedelta(days=1)


def is_late(due: date | None, today: date) -> bool:
    return due is not None and today >= late_since(due)


def period_end_from_key(key: str) -> date | None:
    """The fiscal year end the duty calendar keys a certificate by ("compliance_certificate:
    2026-12-31"), or None for a key of another shape."""
    match = re.fullmatch(r"compliance_certificate:(\d{4})-(\d{2})-(\d{2})", key or "")
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def compliance_problems(
    *,
    signer_name: str,
    signer_title: str,
    signer_is_principal: bool | None,
    covers_period: bool | None,
    states_compliance: bool | None,
) -> list[str]:
    """What keeps an examined compliance certificate from conforming to TIA §314(a)(4): "a
    brief certificate from the principal executive officer, principal financial officer or
    principal accounting officer as to his or her knowledge of such obligor's compliance with
    all conditions and covenants", not less often than annually. A certificate that discloses
    a default still conforms: it is the trustee's written notice of that default (§2.7(b))."""
    problems = []
    if not signer_name.strip() or not signer_title.strip():
        problems.append("Name the officer who signed the certificate, with the title.")
    if signer_is_principal is not True:
        problems.append(
            "TIA §314(a)(4): the certificate must come from the principal executive, principal "
            "financial or principal accounting officer."
        )
    if covers_period is not True:
        problems.append("The certificate must cover the fiscal year it is owed for.")
    if states_compliance is None:
        problems.append(
            "TIA §314(a)(4): the certificate must state the officer's knowledge of compliance "
            "with all conditions and covenants (or name the defaults)."
        )
    return problems


# -- Officers' Certificates and Opinions of Counsel (§1.1, §2.5, TIA §314(c), (e)) ----------


class DocumentKind(enum.StrEnum):
    OFFICERS_CERTIFICATE = "officers_certificate"
    OPINION_OF_COUNSEL = "opinion_of_counsel"


@dataclass(frozen=True)
class Statement:
    code: str
    clause: str
    text: str


# §1.1 "Officers' Certificate" (a) to (d) in both agreements; TIA §314(e)(1) to (4) requires
# the same four of an opinion of counsel given for a condition precedent.
STATEMENTS = (
    Statement(
        "read",
        "(a)",
        "a statement that each signer has read the covenant or condition and the definitions "
        "relating thereto",
    ),
    Statement(
        "scope",
        "(b)",
        "a brief statement of the nature and scope of the examination or investigation undertaken",
    ),
    Statement(
        "sufficient",
        "(c)",
        "a statement that each signer has made such examination or investigation as is "
        "necessary to express an informed opinion as to whether or not the covenant or "
        "condition has been complied with",
    ),
    Statement(
        "complied",
        "(d)",
        "a statement as to whether, in the opinion of each signer, the condition or covenant "
        "has been complied with",
    ),
)
STATEMENT_CODES = tuple(s.code for s in STATEMENTS)
CLAUSE = {
    DocumentKind.OFFICERS_CERTIFICATE: "§1.1 “Officers' Certificate”",
    DocumentKind.OPINION_OF_COUNSEL: "TIA §314(e)",
}


class OfficersState(enum.StrEnum):
    RECEIVED = "received"
    EXAMINED = "examined"
    ACCEPTED = "accepted"
    RETURNED = "returned"


OFFICERS_TRANSITIONS: dict[str, set[str]] = {
    OfficersState.RECEIVED: {OfficersState.EXAMINED, OfficersState.RETURNED},
    OfficersState.EXAMINED: {
        OfficersState.EXAMINED,
        OfficersState.ACCEPTED,
        OfficersState.RETURNED,
    },
    # sent back: a corrected certificate is received against the same act
    OfficersState.RETURNED: {OfficersState.RECEIVED},
    OfficersState.ACCEPTED: set(),
}
OFFICERS_OPEN = {OfficersState.RECEIVED, OfficersState.EXAMINED, OfficersState.RETURNED}


@dataclass(frozen=True)
class Signer:
    name: str
    title: str


def normalize_title(title: str) -> str:
    """A title as written on a certificate, compared without case, spacing, a leading article
    or a plural: "the  Vice Presidents" reads as "vice president". Nothing else is stretched:
    "Executive Vice President" is not "Vice President" unless the agreement says so."""
    words = re.sub(r"[\s,.;:]+", " ", title or "").strip().casefold().split(" ")
    while words and words[0] in {"the", "a", "an", "any", "one", "of"}:
        words = words[1:]
    text = " ".join(words)
    if text.endswith("ies"):
        text = text[:-3] + "y"
    elif text.endswith("s") and not text.endswith("ss"):
        text = text[:-1]
    return text


def missing_statements(present: Mapping[str, bool]) -> list[Statement]:
    return [s for s in STATEMENTS if present.get(s.code) is not True]


def signer_problems(
    signers: Iterable[Signer], allowed: Mapping[str, Iterable[str]], clause: str
) -> list[str]:
    """§1.1: an Officers' Certificate is signed by one officer of each group the definition
    names (e.g. a President or Vice President, and a Treasurer or Secretary). `allowed` maps
    each group's label to its titles, as the agreement words them."""
    signers = list(signers)
    if not signers:
        return ["Name the officers who signed it, with their titles."]
    if not any(allowed.values()):
        return [
            f"No titles are recorded from this agreement's definition ({clause}): record them "
            "(Signatory titles) before the certificate can be accepted."
        ]
    groups = {label: {normalize_title(t) for t in titles} for label, titles in allowed.items()}
    problems = []
    for signer in signers:
        if not signer.name.strip():
            problems.append(f"A signer titled “{signer.title}” has no name.")
        if not any(normalize_title(signer.title) in titles for titles in groups.values()):
            problems.append(
                f"{signer.name or 'A signer'}: “{signer.title}” is not a title {clause} allows "
                "to sign."
            )
    for label, titles in allowed.items():
        if not any(normalize_title(s.title) in groups[label] for s in signers):
            problems.append(
                f"{clause}: it must be signed by {label}: one of {', '.join(titles)}; "
                "no signer holds one of these titles."
            )
    return problems


def officers_problems(
    *,
    kind: str,
    signers: Iterable[Signer],
    statements: Mapping[str, bool],
    allowed: Mapping[str, Iterable[str]],
    states_complied: bool | None,
) -> list[str]:
    """Everything that keeps an examined certificate or opinion from being accepted as evidence
    that a condition precedent was met, each naming its clause."""
    if kind not in set(DocumentKind):
        raise Refused(f"Unknown kind of document “{kind}”: one of {', '.join(DocumentKind)}.")
    clause = CLAUSE[DocumentKind(kind)]
    problems = [
        f"{clause} {s.clause} is missing: {s.text}." for s in missing_statements(statements)
    ]
    signers = list(signers)
    if kind == DocumentKind.OFFICERS_CERTIFICATE:
        problems += signer_problems(signers, allowed, clause)
    elif not signers or not all(s.name.strip() for s in signers):
        # Neither agreement defines "Opinion of Counsel": counsel is named, no title is checked.
        problems.append("Name the counsel who gave the opinion.")
    if states_complied is False:
        problems.append(
            f"{clause} (d): in the signers' opinion the condition has not been complied with; "
            "it cannot support the act."
        )
    return problems


# -- periodic reports (§2.4, TIA §314(a)(1)) -----------------------------------------------


class PeriodicState(enum.StrEnum):
    EXPECTED = "expected"
    LATE = "late"
    RECEIVED = "received"
    FILED = "filed"


P = PeriodicState
PERIODIC_TRANSITIONS: dict[str, set[str]] = {
    P.EXPECTED: {P.RECEIVED, P.LATE},
    P.LATE: {P.LATE, P.RECEIVED},
    P.RECEIVED: {P.FILED},
    P.FILED: set(),
}
PERIODIC_OPEN = {P.EXPECTED, P.LATE, P.RECEIVED}


# -- uploaded documents --------------------------------------------------------------------

DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".txt": "text/plain",
    ".htm": "text/html",
    ".html": "text/html",
}


def document_type(name: str, data: bytes, limit: int) -> str:
    """The content type of an uploaded certificate or report, or Refused saying what is wrong:
    empty, too large, a type not kept, or bytes that are not what the name says."""
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in (name or "") else ""
    if not data:
        raise Refused(f"{name or 'The file'} is empty.")
    if len(data) > limit:
        raise Refused(
            f"{name} is {len(data) / 1_048_576:,.1f} MB; the most kept is "
            f"{limit / 1_048_576:,.1f} MB."
        )
    if suffix not in DOCUMENT_TYPES:
        raise Refused(
            f"{name}: only {', '.join(sorted(DOCUMENT_TYPES))} files are kept "
            "(the certificate or report as delivered, or as filed on EDGAR)."
        )
    if suffix == ".pdf":
        if not data.lstrip()[:5] == b"%PDF-":
            raise Refused(f"{name} is not a PDF file (it does not begin with %PDF-).")
        return DOCUMENT_TYPES[suffix]
    if b"\x00" in data:
        raise Refused(f"{name} is not a text file (it holds binary data).")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            raise Refused(
                f"{name} is not readable text (neither UTF-8 nor Windows-1252)."
            ) from None
    return DOCUMENT_TYPES[suffix]
