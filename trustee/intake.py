"""Agreement intake (issue #8): an exhibit uploaded, reviewed by an officer, then confirmed.

`exhibit_upload` keeps the exhibit's text and what the reader (trustee/exhibits, pure Python)
proposes, and creates nothing else. `proposed_values` turns that proposal into the values an
officer reviews, each with the section and the quote it comes from. `exhibit_confirm` takes the
reviewed values and, in one transaction, creates the agreement, its parties, securities, terms
and citations (through the loader the demo data goes through, trustee/loading.py) and its
duties on the calendar; it records which values the officer corrected.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from trustee.calendar import local_today
from trustee.exhibits import ReadError, read_exhibit
from trustee.exhibits.reader import decode
from trustee.loading import LoadError, load_data
from trustee.models import (
    Agreement,
    AgreementParty,
    AgreementSource,
    AgreementTerms,
    Party,
    Security,
)
from trustee.obligations import materialize
from trustee.roles import require_preparer
from trustee.selectors import agreements_for_calendar
from trustee.term_rules import TermError, parse_month_day_list

DEFAULT_MAX_EXHIBIT_BYTES = 20 * 1024 * 1024

# The reader's term names, and what it calls a value, in the terms model's words.
TERM_NAMES = {
    "holder_list_dates": "holder_list_dates",
    "holder_list_commencement": "holder_list_commencement",
    "holder_list_as_of_max_days": "holder_list_as_of_days",
    "holder_list_request_days": "holder_list_request_days",
    "report_anchor": "report_anchor",
    "report_window_days": "report_window_days",
    "report_due": "report_due",
    "report_commencement": "report_commencement",
    "default_notice_days": "default_notice_days",
    "default_notice_runs_from": "default_notice_runs_from",
    "cure_days": "cure_days",
    "cure_runs_from": "cure_runs_from",
    "majority_percent": "majority_percent",
    "majority_comparison": "majority_comparison",
    "majority_basis": "majority_basis",
    "minimum_capital": "min_capital_surplus",
    "rating_categories": "rating_categories",
    "successor_window_days": "successor_days",
    "successor_runs_from": "successor_runs_from",
    "conflicting_interest_days": "conflicting_interest_days",
    "compliance_certificate_days": "compliance_certificate_days",
    "fiscal_year_end": "fiscal_year_end",
}
_VALUE_NAMES = {("cure_runs_from", "notice"): AgreementTerms.CureRunsFrom.NOTICE_TO_GUARANTOR}
# The terms an officer reviews: those the reader looks for, in its order.
REVIEWED_TERMS = list(TERM_NAMES.values())

AGREEMENT_FIELDS = [
    "kind",
    "short_name",
    "slug",
    "title",
    "dated_as_of",
    "governing_law",
    "governing_law_section",
    "tia",
    "our_role",
]
PARTY_FIELDS = ["name", "role"]
SECURITY_FIELDS = ["title", "kind", "coupon_rate", "unit_amount", "unit_basis", "aggregate_amount"]

_OUR_ROLE = {
    Agreement.Kind.GUARANTEE_AGREEMENT: Agreement.OurRole.GUARANTEE_TRUSTEE,
    Agreement.Kind.INDENTURE: Agreement.OurRole.TRUSTEE,
    Agreement.Kind.SUPPLEMENTAL_INDENTURE: Agreement.OurRole.TRUSTEE,
    Agreement.Kind.TRUST_AGREEMENT: Agreement.OurRole.PROPERTY_TRUSTEE,
    Agreement.Kind.PURCHASE_CONTRACT_AGREEMENT: Agreement.OurRole.PURCHASE_CONTRACT_AGENT,
    Agreement.Kind.PLEDGE_AGREEMENT: Agreement.OurRole.COLLATERAL_AGENT,
}
_PARTY_ROLES = {
    "guarantor": AgreementParty.Role.GUARANTOR,
    "issuer": AgreementParty.Role.ISSUER,
    "trustee": AgreementParty.Role.TRUSTEE,
    "underwriter": AgreementParty.Role.UNDERWRITER,
    "underwriters": AgreementParty.Role.UNDERWRITER,
    "representative": AgreementParty.Role.UNDERWRITER,
}
_PARTY_KINDS = {
    AgreementParty.Role.GUARANTOR: Party.Kind.GUARANTOR,
    AgreementParty.Role.ISSUER: Party.Kind.ISSUER_TRUST,
    AgreementParty.Role.TRUSTEE: Party.Kind.TRUSTEE_BANK,
    AgreementParty.Role.UNDERWRITER: Party.Kind.UNDERWRITER,
}
_SECURITY_KINDS = [
    ("common securities", Security.Kind.COMMON_SECURITIES),
    ("preferred securities", Security.Kind.PREFERRED_SECURITIES),
    ("capital securities", Security.Kind.CAPITAL_SECURITIES),
    ("senior notes", Security.Kind.SENIOR_NOTES),
    ("debentures", Security.Kind.SUBORDINATED_DEBENTURES),
]


def max_exhibit_bytes() -> int:
    return getattr(settings, "TRUSTDESK_MAX_EXHIBIT_BYTES", DEFAULT_MAX_EXHIBIT_BYTES)


# -- upload -----------------------------------------------------------------------------------


def exhibit_upload(*, file, file_name: str, by) -> AgreementSource:
    """Keep an uploaded exhibit and what the reader proposes for it; nothing else is created.
    Refuses (ValidationError on "file") an empty, binary or too large file, or a text that is
    not an agreement, with the reader's message."""
    require_preparer(by, "Uploading an agreement exhibit")
    name = os.path.basename(str(file_name or "").replace("\\", "/")).strip() or "exhibit.txt"
    limit = max_exhibit_bytes()
    data = _read_bytes(file, limit)
    if len(data) > limit:
        raise ValidationError(
            {
                "file": f"{name} is larger than {limit / 1_048_576:.0f} MB, the most an agreement "
                "exhibit is. Give the exhibit itself, not a whole filing."
            }
        )
    try:
        text = decode(data, name)
        proposal = read_exhibit(text)
    except ReadError as error:
        raise ValidationError({"file": str(error)}) from None
    return AgreementSource.objects.create(
        file_name=name[:255],
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        uploaded_by=by,
        proposal=json.loads(json.dumps(proposal, default=str)),
    )


def _read_bytes(file, limit: int) -> bytes:
    if isinstance(file, bytes | bytearray):
        return bytes(file)
    if isinstance(file, str):
        return file.encode("utf-8")
    if hasattr(file, "seek"):
        file.seek(0)
    return file.read(limit + 1)


# -- review -----------------------------------------------------------------------------------


def proposed_values(proposal: dict) -> tuple[dict, dict]:
    """What the reader proposes, in the shape `exhibit_confirm` takes, and beside it where each
    value comes from: {"dated_as_of": {"section", "quote"}, "terms": {name: {...}}, ...}."""
    kind = _kind(proposal.get("kind"))
    roles = proposal.get("parties") or {}
    parties = [
        {"name": p.get("name") or "", "role": _PARTY_ROLES.get(p.get("role"), "other")}
        for p in proposal.get("party_list") or []
    ]
    base = roles.get("issuer") or roles.get("guarantor") or (parties[0]["name"] if parties else "")
    kind_label = _kind_title(proposal.get("kind"))
    short_name = f"{base} {kind_label.removesuffix(' Agreement')}".strip()[:120]
    law = proposal.get("governing_law_source") or {}
    dated = proposal.get("dated_as_of_source") or {}
    values = {
        "kind": kind,
        "short_name": short_name,
        "slug": slug_suggest(short_name),
        "title": kind_label,
        "dated_as_of": proposal.get("dated_as_of"),
        "governing_law": proposal.get("governing_law") or "",
        "governing_law_section": law.get("section") or "",
        "tia": None,  # the reader does not decide it: the officer does
        "our_role": _OUR_ROLE.get(kind, Agreement.OurRole.NONE),
        "parties": parties,
        "securities": [],
        "terms": {},
    }
    sources = {
        "kind": _cite(dated),
        "dated_as_of": _cite(dated),
        "governing_law": _cite(law),
        "governing_law_section": _cite(law),
        "parties": [_cite(dated) for _ in parties],
        "securities": [],
        "terms": {},
    }
    for item in proposal.get("securities") or []:
        values["securities"].append(
            {
                "title": item.get("title") or item.get("defined_as") or "",
                "kind": _security_kind(item),
                "coupon_rate": item.get("coupon_rate"),
                "unit_amount": item.get("unit_amount"),
                "unit_basis": item.get("unit_basis") or "",
                "aggregate_amount": item.get("aggregate_amount"),
            }
        )
        note = "The text says “up to” this amount." if item.get("up_to") else ""
        sources["securities"].append({**_cite(item), "note": note})
    found = proposal.get("terms") or {}
    for reader_name, name in TERM_NAMES.items():
        entry = found.get(reader_name) or {"value": None}
        value = entry.get("value")
        note = ""
        unit = entry.get("unit")
        if value is not None and unit and unit != "days":
            # A period in months or years is never turned into days by guesswork.
            note = f"The text states {value} {unit}: give the number of days."
            value = None
        if isinstance(value, str):
            value = _VALUE_NAMES.get((name, value), value)
        values["terms"][name] = value
        if entry.get("section"):
            sources["terms"][name] = {**_cite(entry), "note": note}
    return values, sources


def slug_suggest(short_name: str, exclude_pk=None) -> str:
    """A slug from the short name that no agreement has yet."""
    base = slugify(short_name)[:72].strip("-") or "agreement"
    slug, n = base, 1
    taken = Agreement.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _cite(entry: dict) -> dict:
    return {"section": entry.get("section") or "", "quote": entry.get("quote") or ""}


def _kind(reader_kind) -> str:
    name = (reader_kind or "").lower()
    if "supplemental indenture" in name:
        return Agreement.Kind.SUPPLEMENTAL_INDENTURE
    if "declaration of trust" in name or "trust agreement" in name:
        return Agreement.Kind.TRUST_AGREEMENT
    slug = name.replace(" ", "_")
    return slug if slug in Agreement.Kind.values else Agreement.Kind.OTHER


def _kind_title(reader_kind) -> str:
    return " ".join(word.capitalize() for word in (reader_kind or "agreement").split())


def _security_kind(item: dict) -> str:
    name = f"{item.get('defined_as') or ''} {item.get('title') or ''}".lower()
    for words, kind in _SECURITY_KINDS:
        if words in name:
            return kind
    return Security.Kind.OTHER


# -- confirmation -----------------------------------------------------------------------------


def exhibit_confirm(*, source_id: int, by, values: dict) -> Agreement:
    """Create the agreement an officer reviewed: its parties (an existing Party of the same
    name is reused), roles, securities, terms with a citation per term read from the text,
    and its duties on the calendar. `values` are the reviewed values in the shape of
    `proposed_values`; a key left out keeps the proposed value. All or nothing: a refusal is a
    ValidationError naming the field ("short_name", "terms.cure_days", "securities.0.title")."""
    require_preparer(by, "Confirming an agreement from its exhibit")
    with transaction.atomic():
        source = AgreementSource.objects.select_for_update().get(pk=source_id)
        if source.agreement_id is not None:
            raise ValidationError(
                f"This exhibit was already confirmed, as {source.agreement}, on "
                f"{timezone.localtime(source.confirmed_at):%Y-%m-%d %H:%M}."
            )
        proposed, sources = proposed_values(source.proposal)
        proposed_clean = _typed(proposed, strict=False)
        chosen = _typed(_merged(proposed, values or {}), strict=True)
        if Agreement.objects.filter(slug=chosen["slug"]).exists():
            raise ValidationError(
                {"slug": f"An agreement already has the slug “{chosen['slug']}”."}
            )
        try:
            load_data([_document(chosen, sources)])
        except LoadError as error:
            raise _field_errors(error, chosen) from None
        agreement = Agreement.objects.get(slug=chosen["slug"])
        today = local_today(agreement.terms.time_zone, timezone.now())
        materialize(
            today=today,
            agreements=agreements_for_calendar().filter(pk=agreement.pk),
            reason="agreement confirmed from its exhibit",
            by=by,
        )
        source.agreement = agreement
        source.confirmed_by = by
        source.confirmed_at = timezone.now()
        source.review = {
            "values": _jsonable(chosen),
            "corrected": _corrections(proposed_clean, chosen),
            "added": _additions(proposed_clean, chosen),
        }
        source.save(update_fields=["agreement", "confirmed_by", "confirmed_at", "review"])
    return agreement


def _merged(proposed: dict, values: dict) -> dict:
    merged = {**proposed, **{k: v for k, v in values.items() if k != "terms"}}
    merged["terms"] = {**proposed["terms"], **(values.get("terms") or {})}
    return merged


def _typed(values: dict, *, strict: bool) -> dict:
    """The values as the models' Python types; a value that cannot be one is refused by name.
    Not strict: the proposal itself, compared with what the officer confirmed (never refused)."""
    errors: dict[str, list[str]] = {}

    def convert(key, field, value, *, month_days=False):
        if value in (None, "") or value == []:
            return [] if month_days else ("" if _is_text(field) else None)
        try:
            if month_days:
                return [str(d) for d in parse_month_day_list(value)]
            return field.to_python(value)
        except (TermError, ValidationError) as error:
            if strict:
                messages = error.messages if isinstance(error, ValidationError) else [str(error)]
                errors.setdefault(key, []).extend(messages)
            return value

    typed = {
        name: convert(name, Agreement._meta.get_field(name), values.get(name))
        for name in AGREEMENT_FIELDS
    }
    if strict:
        if not typed["tia"]:
            errors.setdefault("tia", []).append(
                "Say whether the Trust Indenture Act applies: the reader does not decide it."
            )
        if not typed["short_name"]:
            errors.setdefault("short_name", []).append("Give the agreement a short name.")
        if not typed["slug"]:
            typed["slug"] = slug_suggest(typed["short_name"] or "agreement")
    typed["parties"] = []
    for index, row in enumerate(values.get("parties") or []):
        name = " ".join(str(row.get("name") or "").split())
        role = row.get("role") or ""
        if not name:
            continue  # an officer clears a name to leave the party out
        if strict and role not in AgreementParty.Role.values:
            errors.setdefault(f"parties.{index}.role", []).append(f"“{role}” is not a role.")
        typed["parties"].append({"name": name, "role": role, "index": index})
    typed["securities"] = []
    for index, row in enumerate(values.get("securities") or []):
        if not any(row.get(name) not in (None, "") for name in SECURITY_FIELDS if name != "kind"):
            continue
        typed["securities"].append(
            {
                "index": index,
                **{
                    name: convert(
                        f"securities.{index}.{name}", Security._meta.get_field(name), row.get(name)
                    )
                    for name in SECURITY_FIELDS
                },
            }
        )
    terms = values.get("terms") or {}
    typed["terms"] = {
        name: convert(
            f"terms.{name}",
            AgreementTerms._meta.get_field(name),
            terms.get(name),
            month_days=name == "holder_list_dates",
        )
        for name in REVIEWED_TERMS
    }
    if errors:
        raise ValidationError(errors)
    return typed


def _is_text(field) -> bool:
    return field.get_internal_type() in ("CharField", "TextField", "SlugField") and not field.null


def _document(chosen: dict, sources: dict) -> dict:
    """The reviewed agreement in the shape trustee/loading.py loads."""
    parties, links, seen = [], [], set()
    for row in chosen["parties"]:
        key = f"party-{row['index']}"
        existing = row["name"] in seen or Party.objects.filter(name=row["name"]).exists()
        seen.add(row["name"])
        # An existing party is reused as it is; a new one gets its name and kind.
        kind = _PARTY_KINDS.get(row["role"], Party.Kind.OTHER)
        parties.append({"key": key, "name": row["name"], **({} if existing else {"kind": kind})})
        links.append({"party": key, "role": row["role"]})
    securities = []
    for row in chosen["securities"]:
        cite = _at(sources["securities"], row["index"])
        securities.append(
            {
                **{name: row[name] for name in SECURITY_FIELDS if name != "unit_basis"},
                "unit_amount_basis": row["unit_basis"],
                "source": cite,
            }
        )
    terms = {}
    for name, value in chosen["terms"].items():
        entry = {"value": value}
        cite = sources["terms"].get(name)
        if cite and value not in (None, "", []):
            entry.update(section=cite["section"], quote=cite["quote"])
        terms[name] = entry
    agreement = {name: chosen[name] for name in AGREEMENT_FIELDS}
    agreement.update(status=Agreement.Status.ACTIVE, parties=links, securities=securities)
    agreement["terms"] = terms
    return {"parties": parties, "agreements": [agreement]}


def _at(rows: list, index: int) -> dict:
    return rows[index] if index < len(rows) else {"section": "", "quote": ""}


_WHERE = re.compile(r"^((?:[\w.]|\[[^\]]*\])+): (.*)$", re.S)


def _field_errors(error: LoadError, chosen: dict) -> ValidationError:
    """The loader's problems ("agreements[slug].terms.cure_days: ...") by the names
    `exhibit_confirm` takes ("terms.cure_days")."""
    securities = {row["title"]: row["index"] for row in chosen["securities"]}
    parties = {f"party-{row['index']}": row["index"] for row in chosen["parties"]}
    errors: dict[str, list[str]] = {}
    for problem in error.problems:
        match = _WHERE.match(problem)
        where, message = (match.group(1), match.group(2)) if match else ("", problem)
        key = _field_key(where, securities, parties)
        errors.setdefault(key, []).append(message)
    return ValidationError(errors)


def _field_key(where: str, securities: dict, parties: dict) -> str:
    where = re.sub(r"^agreements\[[^\]]*\]\.?", "", where)
    if match := re.match(r"^parties\[([^\]]*)\]\.?(.*)$", where):
        index = parties.get(match.group(1))
        field = match.group(2) or "name"
        return f"parties.{index}.{field}" if index is not None else "parties"
    if match := re.match(r"^securities\[([^\]]*)\]\.?(.*)$", where):
        index = securities.get(match.group(1))
        field = match.group(2) or NON_FIELD_ERRORS
        if field == "unit_amount_basis":
            field = "unit_basis"
        return f"securities.{index}.{field}" if index is not None else "securities"
    if where.endswith(f".{NON_FIELD_ERRORS}"):
        where = where.removesuffix(f".{NON_FIELD_ERRORS}")
    return where or NON_FIELD_ERRORS


def _corrections(proposed: dict, chosen: dict) -> dict:
    """{"terms.cure_days": {"proposed": 60, "confirmed": 30}, ...}: what the officer changed."""
    changed = {}

    def compare(key, before, after):
        # A value the reader did not propose, filled in by the officer, is no correction.
        if _empty(before) or before == after:
            return
        changed[key] = {"proposed": _jsonable(before), "confirmed": _jsonable(after)}

    for name in AGREEMENT_FIELDS:
        compare(name, proposed.get(name), chosen.get(name))
    for name in REVIEWED_TERMS:
        compare(f"terms.{name}", proposed["terms"].get(name), chosen["terms"].get(name))
    for group, fields in (("parties", PARTY_FIELDS), ("securities", SECURITY_FIELDS)):
        before = {row["index"]: row for row in proposed[group]}
        after = {row["index"]: row for row in chosen[group]}
        for index in sorted(set(before) | set(after)):
            for name in fields:
                compare(
                    f"{group}.{index}.{name}",
                    before.get(index, {}).get(name),
                    after.get(index, {}).get(name),
                )
    return changed


def _additions(proposed: dict, chosen: dict) -> list[str]:
    """The terms and agreement values the reader did not propose and the officer gave."""
    added = [n for n in AGREEMENT_FIELDS if _empty(proposed.get(n)) and not _empty(chosen.get(n))]
    added += [
        f"terms.{name}"
        for name in REVIEWED_TERMS
        if _empty(proposed["terms"].get(name)) and not _empty(chosen["terms"].get(name))
    ]
    return added


def _empty(value) -> bool:
    return value is None or value == "" or value == []


def _jsonable(value):
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value
