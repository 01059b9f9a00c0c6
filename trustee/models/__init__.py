from trustee.models.agreements import Agreement, AgreementParty, AgreementRelation, Deal
from trustee.models.applications import *  # noqa: F403
from trustee.models.deliverables import *  # noqa: F403
from trustee.models.intake import AgreementSource
from trustee.models.obligations import (
    AgreementEvent,
    DigestDispatch,
    Obligation,
    ObligationChange,
)
from trustee.models.officers import OfficerAssignment, TrustOfficer
from trustee.models.ops import Heartbeat
from trustee.models.parties import NoticeAddress, Party, PartyContact
from trustee.models.reports import ReportExport
from trustee.models.securities import Security, UnderwriterAllocation
from trustee.models.standing import *  # noqa: F403
from trustee.models.terms import AgreementTerms, TermCitation
from trustee.models.workflows import (
    AnnualReport,
    DefaultCase,
    ListException,
    ListRequest,
    WorkflowStep,
)

__all__ = [
    "Agreement",
    "AgreementEvent",
    "AgreementParty",
    "AgreementRelation",
    "AgreementSource",
    "AgreementTerms",
    "AnnualReport",
    "Deal",
    "DefaultCase",
    "DigestDispatch",
    "Heartbeat",
    "ListException",
    "ListRequest",
    "NoticeAddress",
    "Obligation",
    "ObligationChange",
    "OfficerAssignment",
    "Party",
    "PartyContact",
    "ReportExport",
    "Security",
    "TermCitation",
    "TrustOfficer",
    "UnderwriterAllocation",
    "WorkflowStep",
]
