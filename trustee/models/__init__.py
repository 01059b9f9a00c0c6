from trustee.models.agreements import Agreement, AgreementParty, AgreementRelation, Deal
from trustee.models.officers import OfficerAssignment, TrustOfficer
from trustee.models.ops import Heartbeat
from trustee.models.parties import NoticeAddress, Party, PartyContact
from trustee.models.securities import Security, UnderwriterAllocation
from trustee.models.terms import AgreementTerms, TermCitation

__all__ = [
    "Agreement",
    "AgreementParty",
    "AgreementRelation",
    "AgreementTerms",
    "Deal",
    "Heartbeat",
    "NoticeAddress",
    "OfficerAssignment",
    "Party",
    "PartyContact",
    "Security",
    "TermCitation",
    "TrustOfficer",
    "UnderwriterAllocation",
]
