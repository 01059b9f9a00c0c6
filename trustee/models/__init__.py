from trustee.models.agreements import Agreement, AgreementParty, AgreementRelation, Deal
from trustee.models.obligations import (
    AgreementEvent,
    DigestDispatch,
    Obligation,
    ObligationChange,
)
from trustee.models.officers import OfficerAssignment, TrustOfficer
from trustee.models.ops import Heartbeat
from trustee.models.parties import NoticeAddress, Party, PartyContact
from trustee.models.securities import Security, UnderwriterAllocation
from trustee.models.terms import AgreementTerms, TermCitation

__all__ = [
    "Agreement",
    "AgreementEvent",
    "AgreementParty",
    "AgreementRelation",
    "AgreementTerms",
    "Deal",
    "DigestDispatch",
    "Heartbeat",
    "NoticeAddress",
    "Obligation",
    "ObligationChange",
    "OfficerAssignment",
    "Party",
    "PartyContact",
    "Security",
    "TermCitation",
    "TrustOfficer",
    "UnderwriterAllocation",
]
