"""Load parties, deals, agreements, securities, terms and officers from structured data.

The demo data (trustee/demo_data/*.yaml) goes through here, and so can any onboarding file of
the same shape. Loading is idempotent (rows are found by their natural keys and updated) and
atomic: one bad value and nothing is written, with an error naming where it is.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from trustee.models import (
    Agreement,
    AgreementParty,
    AgreementRelation,
    AgreementTerms,
    Deal,
    NoticeAddress,
    OfficerAssignment,
    Party,
    PartyContact,
    Security,
    TermCitation,
    TrustOfficer,
    UnderwriterAllocation,
)
from trustee.roles import responsible_designation_sync
from trustee.term_rules import TermError, parse_month_day_list


class LoadError(Exception):
    """Every problem found, each prefixed with where it is in the data."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(problems))


class _Loader:
    def __init__(self):
        self.problems: list[str] = []
        self.parties: dict[str, Party] = {}
        self.deals: dict[str, Deal] = {}
        self.counts: dict[str, int] = {}

    def fail(self, where, error):
        if isinstance(error, ValidationError) and hasattr(error, "message_dict"):
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.problems.append(f"{where}.{field}: {message}")
        elif isinstance(error, ValidationError):
            self.problems.extend(f"{where}: {message}" for message in error.messages)
        else:
            self.problems.append(f"{where}: {error}")

    def save(self, where, obj, exclude=None):
        try:
            obj.full_clean(exclude=exclude)
        except ValidationError as error:
            self.fail(where, error)
            return None
        obj.save()
        key = obj._meta.verbose_name_plural
        self.counts[key] = self.counts.get(key, 0) + 1
        return obj

    @staticmethod
    def fill(obj, values, fields):
        for name in fields:
            if name in values:
                value = values[name]
                if name == "address_lines" and isinstance(value, list):
                    value = "\n".join(value)
                setattr(obj, name, "" if value is None and _is_text(obj, name) else value)
        return obj

    # -- parties and deals ------------------------------------------------------------------

    def load_parties(self, rows):
        for index, row in enumerate(rows or []):
            where = f"parties[{row.get('key', index)}]"
            party = Party.objects.filter(name=row.get("name")).first() or Party()
            self.fill(party, row, [*_ADDRESS_FIELDS, "name", "short_name", "kind"])
            if self.save(where, party) is None:
                continue
            self.parties[row["key"]] = party
            for email in row.get("emails") or []:
                contact = PartyContact(party=party, email=email)
                if not PartyContact.objects.filter(party=party, email=email).exists():
                    self.save(f"{where}.emails", contact)

    def load_deals(self, rows):
        for row in rows or []:
            where = f"deals[{row.get('key')}]"
            deal = Deal.objects.filter(slug=row.get("slug")).first() or Deal()
            self.fill(deal, row, ["name", "slug", "description"])
            if self.save(where, deal) is not None:
                self.deals[row["key"]] = deal

    def party(self, where, key):
        party = self.parties.get(key) or Party.objects.filter(name=key).first()
        if party is None:
            self.problems.append(f"{where}: no party “{key}” in the data")
        return party

    # -- agreements -------------------------------------------------------------------------

    def load_agreements(self, rows):
        agreements = {}
        for row in rows or []:
            where = f"agreements[{row.get('slug')}]"
            agreement = Agreement.objects.filter(slug=row.get("slug")).first() or Agreement()
            values = {**row, "deal": self.deals.get(row.get("deal")) if row.get("deal") else None}
            if row.get("deal") and values["deal"] is None:
                self.problems.append(f"{where}.deal: no deal “{row['deal']}” in the data")
            values["our_role"] = row.get("our_role") or Agreement.OurRole.NONE
            values["tia"] = row.get("tia") or Agreement.TrustIndentureAct.NOT_APPLICABLE
            self.fill(agreement, values, _AGREEMENT_FIELDS)
            if self.save(where, agreement) is not None:
                agreements[row["slug"]] = (agreement, row)
        for agreement, row in agreements.values():
            where = f"agreements[{row['slug']}]"
            self.load_agreement_parties(where, agreement, row.get("parties"))
            self.load_notice_addresses(where, agreement, row.get("notice_addresses"))
            self.load_relations(where, agreement, row.get("related"))
            self.load_securities(where, agreement, row.get("securities"))
            if row.get("terms"):
                self.load_terms(f"{where}.terms", agreement, row["terms"])

    def load_agreement_parties(self, where, agreement, rows):
        for row in rows or []:
            party = self.party(f"{where}.parties", row.get("party"))
            if party:
                AgreementParty.objects.get_or_create(
                    agreement=agreement, party=party, role=row.get("role")
                )

    def load_notice_addresses(self, where, agreement, rows):
        for row in rows or []:
            party = self.party(f"{where}.notice_addresses", row.get("party"))
            if party is None:
                continue
            address = NoticeAddress.objects.filter(agreement=agreement, party=party).first()
            address = address or NoticeAddress(agreement=agreement, party=party)
            self.fill(address, row, [*_ADDRESS_FIELDS, "section", "email"])
            self.save(f"{where}.notice_addresses[{row.get('party')}]", address)

    def load_relations(self, where, agreement, rows):
        for row in rows or []:
            other = Agreement.objects.filter(slug=row.get("slug")).first()
            if other is None:
                self.problems.append(f"{where}.related: no agreement “{row.get('slug')}”")
                continue
            relation = AgreementRelation.objects.filter(
                agreement=agreement, related_agreement=other
            ).first() or AgreementRelation(agreement=agreement, related_agreement=other)
            relation.relation = row.get("relation", "")
            self.save(f"{where}.related[{row.get('slug')}]", relation)

    def load_securities(self, where, agreement, rows):
        for row in rows or []:
            here = f"{where}.securities[{row.get('title')}]"
            security = Security.objects.filter(agreement=agreement, title=row.get("title")).first()
            security = security or Security(agreement=agreement)
            values = dict(row)
            values["unit_basis"] = row.get("unit_amount_basis") or ""
            values["cusip"] = row.get("cusip") or ""
            values["form"] = row.get("form") or ""
            values["issue_date"] = row.get("issue_date")
            values["amount_outstanding"] = row.get("amount_outstanding") or row.get(
                "aggregate_amount"
            )
            source = row.get("source") or {}
            values["source_section"] = source.get("section") or ""
            values["source_quote"] = _squash(source.get("quote"))
            for name in ("coupon_rate", "unit_amount", "aggregate_amount", "amount_outstanding"):
                values[name] = self.decimal(f"{here}.{name}", values.get(name))
            try:
                values["payment_dates"] = [
                    str(d) for d in parse_month_day_list(row.get("payment_dates") or [])
                ]
            except TermError as error:
                self.problems.append(f"{here}.payment_dates: {error}")
                continue
            self.fill(security, values, _SECURITY_FIELDS)
            if self.save(here, security) is None:
                continue
            for allocation in row.get("underwriters") or []:
                party = self.party(f"{here}.underwriters", allocation.get("party"))
                if party is None:
                    continue
                record = UnderwriterAllocation.objects.filter(
                    security=security, underwriter=party
                ).first() or UnderwriterAllocation(security=security, underwriter=party)
                record.amount = self.decimal(f"{here}.underwriters", allocation.get("amount"))
                record.is_representative = bool(allocation.get("representative", False))
                self.save(f"{here}.underwriters[{allocation.get('party')}]", record)

    def load_terms(self, where, agreement, rows):
        terms = AgreementTerms.objects.filter(agreement=agreement).first()
        terms = terms or AgreementTerms(agreement=agreement)
        known = set(AgreementTerms.term_names())
        citations = []
        for name, entry in rows.items():
            if name not in known:
                self.problems.append(f"{where}.{name}: not a term Trustdesk knows")
                continue
            entry = entry if isinstance(entry, dict) else {"value": entry}
            value = entry.get("value")
            field = AgreementTerms._meta.get_field(name)
            try:
                if name == "holder_list_dates":
                    value = [str(d) for d in parse_month_day_list(value or [])]
                elif value is None:
                    value = "" if _is_text(terms, name) else None
                else:
                    value = field.to_python(value)
            except (TermError, ValidationError) as error:
                self.fail(f"{where}.{name}", error)
                continue
            setattr(terms, name, value)
            if entry.get("section"):
                citations.append((name, str(entry["section"]), _squash(entry.get("quote"))))
        if self.save(where, terms) is None:
            return
        for name, section, quote in citations:
            TermCitation.objects.update_or_create(
                terms=terms, term=name, defaults={"section": section, "quote": quote}
            )

    def decimal(self, where, value):
        if value is None or value == "":
            return None
        try:
            return Decimal(str(value))
        except InvalidOperation:
            self.problems.append(f"{where}: “{value}” is not a number")
            return None

    # -- officers ---------------------------------------------------------------------------

    def load_officers(self, rows):
        user_model = get_user_model()
        for row in rows or []:
            where = f"officers[{row.get('username')}]"
            user, created = user_model.objects.get_or_create(
                username=row["username"],
                defaults={
                    "first_name": row.get("first_name", ""),
                    "last_name": row.get("last_name", ""),
                    "email": row.get("email", ""),
                    "is_staff": True,
                },
            )
            if created:
                # Demo officers sign in through their own password reset, never a shipped one.
                user.set_unusable_password()
                user.save()
            officer = TrustOfficer.objects.filter(user=user).first() or TrustOfficer(user=user)
            self.fill(officer, row, ["title", "is_responsible_officer", "phone"])
            if self.save(where, officer) is None:
                continue
            responsible_designation_sync(officer)
            for assignment in row.get("assignments") or []:
                agreement = Agreement.objects.filter(slug=assignment.get("agreement")).first()
                if agreement is None:
                    self.problems.append(f"{where}.assignments: no agreement “{assignment}”")
                    continue
                role = assignment.get("role")
                current = OfficerAssignment.objects.filter(agreement=agreement, role=role).first()
                if current is None:
                    self.save(
                        f"{where}.assignments[{agreement.slug}]",
                        OfficerAssignment(agreement=agreement, officer=officer, role=role),
                    )


def _is_text(obj, name):
    field = obj._meta.get_field(name)
    return field.get_internal_type() in ("CharField", "TextField", "SlugField") and not field.null


def _squash(text):
    return " ".join(str(text or "").split())


_ADDRESS_FIELDS = [
    "address_lines",
    "city",
    "state",
    "postal_code",
    "country",
    "phone",
    "fax",
    "attention",
]
_AGREEMENT_FIELDS = [
    "deal",
    "kind",
    "short_name",
    "slug",
    "title",
    "dated_as_of",
    "governing_law",
    "governing_law_section",
    "tia",
    "our_role",
    "status",
    "termination_event",
    "terminated_on",
]
_SECURITY_FIELDS = [
    "title",
    "kind",
    "cusip",
    "coupon_rate",
    "unit_amount",
    "unit_basis",
    "aggregate_amount",
    "amount_outstanding",
    "issue_date",
    "maturity",
    "payment_dates",
    "first_payment_date",
    "form",
    "source_section",
    "source_quote",
]


# libyaml's safe loader where PyYAML was built with it: the same documents, ten times faster
# (the demo and the tests load the seed files often).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_documents(paths: list[Path]) -> dict[str, int]:
    """Load the YAML documents in order, all or nothing; return how many rows of each kind."""
    documents = []
    for path in paths:
        try:
            text = Path(path).read_text(encoding="utf-8")
            documents.append(yaml.load(text, Loader=_SAFE_LOADER) or {})
        except yaml.YAMLError as error:
            raise LoadError([f"{path}: not valid YAML: {error}"]) from error
    return load_data(documents)


def load_data(documents: list[dict]) -> dict[str, int]:
    """Load documents already parsed into the YAML's shape (parties, deals, agreements,
    officers), in order, all or nothing; return how many rows of each kind. Agreement intake
    (trustee/intake.py) builds such a document from a reviewed exhibit."""
    loader = _Loader()
    with transaction.atomic():
        for data in documents:
            loader.load_parties(data.get("parties"))
            loader.load_deals(data.get("deals"))
            loader.load_agreements(data.get("agreements"))
            loader.load_officers(data.get("officers"))
        if loader.problems:
            raise LoadError(loader.problems)  # leaving the atomic block rolls everything back
    return loader.counts
