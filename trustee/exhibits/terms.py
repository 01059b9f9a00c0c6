"""The terms of the agreement (trustee/models/terms.py), each read from one sentence.

Each finder looks for the sentence that states one duty, by the words every drafter of this family
uses for it ("a list ... of the names and addresses of the Holders", "Section 313", "notice of
... default ... to the Holders", "capital and surplus"), then reads the number next to the words
that fix its meaning ("not more than 15 days prior to", "within 60 days after July 1"). What no
sentence states is left null: a default value here would be a term the agreement does not have.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import Decimal

from trustee.exhibits.dates import FoundDate, find_dates
from trustee.exhibits.numbers import COUNT, Duration, durations, money, percents, words_to_int
from trustee.exhibits.sections import PREAMBLE, RECITALS, SIGNATURES, Document, Sentence

NOT_FOUND: dict = {"value": None}


def cited(value, sentence: Sentence, **extra) -> dict:
    return {"value": value, "section": sentence.cite, "quote": sentence.text, **extra}


def _body(doc: Document) -> Iterable[Sentence]:
    return (s for s in doc.sentences if s.section not in (PREAMBLE, RECITALS, SIGNATURES))


def _has(text: str, *patterns: str) -> bool:
    return all(re.search(p, text, re.I) for p in patterns)


def _after(text: str, duration: Duration, pattern: str, span: int = 120) -> re.Match | None:
    return re.match(r"\s*" + pattern, text[duration.end : duration.end + span], re.I)


def _before(text: str, duration: Duration, pattern: str, span: int = 80) -> re.Match | None:
    return re.search(pattern + r"\s*$", text[max(0, duration.start - span) : duration.start], re.I)


def _duration_term(duration: Duration, sentence: Sentence, **extra) -> dict:
    if duration.days is not None:
        return cited(duration.days, sentence, unit="days", **extra)
    # "six months" is not a number of days: the count and its unit, for an officer to decide.
    return cited(duration.count, sentence, unit=duration.unit, **extra)


def _first(sentences: Iterable[Sentence], read: Callable[[Sentence], dict | None]) -> dict:
    for sentence in sentences:
        result = read(sentence)
        if result:
            return result
    return dict(NOT_FOUND)


# -- List of Holders (TIA §312(a)) -------------------------------------------------------------

_LIST = r"\blist\b"
_NAMES = r"names\s+and\s+addresses|list\s+of\s+(?:the\s+)?holders|holders?\s+list"
_RECORD_DATE_BEFORE = re.compile(
    r"(?:as\s+of|record\s+date\s+(?:of|on)?)\s+(?:the\s+)?(?:(?:immediately\s+)?preceding\s+)?"
    r"(?:(?:each|such|any)\s+)?$",
    re.I,
)
_COMMENCING = r"(?:commencing|beginning|starting)(?:\s+(?:on|with|in))?(?:\s+the)?\s*$"


def _holder_list_sentences(doc: Document) -> list[Sentence]:
    sentences = list(_body(doc))
    verb = r"furnish|deliver|provide|send|cause\s+to\s+be"
    # The verb may stand in the section's lead-in ("The Company will furnish to the Trustee:").
    with_verb = {s.section for s in sentences if re.search(verb, s.text, re.I)}
    named = [s for s in sentences if s.section in with_verb and _has(s.text, _LIST, _NAMES)]
    # "(b) at such other times ..., a list of similar form and content": the rest of the
    # section speaks of "a list" without repeating whose names it holds.
    sections = {s.section for s in named}
    return [
        s for s in sentences if s in named or (s.section in sections and re.search(_LIST, s.text))
    ]


def _yearly_dates(text: str) -> list[FoundDate]:
    dates = []
    record_end = None  # "as of the preceding March 1 or September 1": both are record dates
    for found in find_dates(text):
        if found.year:
            continue
        if _RECORD_DATE_BEFORE.search(text[max(0, found.start - 40) : found.start]) or (
            record_end is not None
            and re.fullmatch(r"\s*,?\s*(?:or|and)?\s*", text[record_end : found.start])
        ):
            record_end = found.end
            continue
        record_end = None
        dates.append(found)
    return dates


def holder_list_terms(doc: Document) -> dict[str, dict]:
    sentences = _holder_list_sentences(doc)
    result = {
        "holder_list_dates": dict(NOT_FOUND),
        "holder_list_commencement": dict(NOT_FOUND),
        "holder_list_as_of_max_days": dict(NOT_FOUND),
        "holder_list_request_days": dict(NOT_FOUND),
    }
    for sentence in sentences:
        text = sentence.text
        dates = _yearly_dates(text)
        if dates and result["holder_list_dates"]["value"] is None:
            values = sorted({d.month_day for d in dates})
            frequency = _frequency(text)
            extra = {"frequency": frequency} if frequency else {}
            result["holder_list_dates"] = cited(values, sentence, **extra)
            for found in find_dates(text):
                if found.year and re.search(
                    _COMMENCING, text[max(0, found.start - 30) : found.start], re.I
                ):
                    result["holder_list_commencement"] = cited(found.iso, sentence)
                    break
        for duration in durations(text):
            if result["holder_list_as_of_max_days"]["value"] is None and (
                _after(text, duration, r"(?:prior\s+to|before|preceding)")
                and _before(text, duration, r"as\s+of\s+a\s+date\s+not\s+(?:more|earlier)\s+than")
            ):
                result["holder_list_as_of_max_days"] = _duration_term(duration, sentence)
            elif result["holder_list_request_days"]["value"] is None and (
                _after(
                    text,
                    duration,
                    r"(?:after|following|of|from)\s+(?:the\s+)?(?:date\s+of\s+)?"
                    r"(?:(?:the\s+)?receipt|(?:such\s+|a\s+|any\s+)?(?:written\s+)?request)",
                )
                and re.search(r"request", text, re.I)
            ):
                result["holder_list_request_days"] = _duration_term(duration, sentence)
    return result


def _frequency(text: str) -> str | None:
    if re.search(
        r"semi-?\s?annual|twice\s+(?:a|each|in\s+each)\s+year|every\s+six\s+months", text, re.I
    ):
        return "semiannual"
    if re.search(r"quarterly|each\s+quarter", text, re.I):
        return "quarterly"
    if re.search(r"\bannually|once\s+(?:a|each)\s+year", text, re.I):
        return "annual"
    return None


# -- Reports by the trustee (TIA §313) ---------------------------------------------------------


def report_terms(doc: Document) -> dict[str, dict]:
    result = {
        "report_anchor": dict(NOT_FOUND),
        "report_window_days": dict(NOT_FOUND),
        "report_due": dict(NOT_FOUND),
        "report_commencement": dict(NOT_FOUND),
    }
    for sentence in _body(doc):
        text = sentence.text
        if not re.search(r"\breports?\b", text, re.I) or not re.search(
            r"\b313\b|to\s+(?:the\s+)?holders|transmit|mail", text, re.I
        ):
            continue
        if re.search(r"\b314\b", text) and not re.search(r"\b313\b", text):
            continue  # the obligor's own reports, not the trustee's
        found = False
        for duration in durations(text):
            anchor = _after(
                text, duration, r"(?:after|following|from|subsequent\s+to)\s+(?:each\s+)?"
            )
            if not anchor:
                continue
            dates = find_dates(text[duration.end + anchor.end() : duration.end + anchor.end() + 40])
            if dates and dates[0].start == 0:
                result["report_anchor"] = cited(dates[0].month_day, sentence)
                result["report_window_days"] = _duration_term(duration, sentence)
                found = True
                break
        if not found:
            match = re.search(
                r"(?:on\s+or\s+(?:before|prior\s+to)|not\s+later\s+than|no\s+later\s+than|by)\s+",
                text,
                re.I,
            )
            if match:
                dates = find_dates(text[match.end() : match.end() + 40])
                if dates and dates[0].start == 0 and not dates[0].year:
                    result["report_due"] = cited(dates[0].month_day, sentence)
                    found = True
        if found:
            for date in find_dates(text):
                if date.year and re.search(
                    _COMMENCING, text[max(0, date.start - 30) : date.start], re.I
                ):
                    result["report_commencement"] = cited(date.iso, sentence)
                    break
            return result
    return result


# -- Defaults ----------------------------------------------------------------------------------

_KNOWLEDGE = (
    r"(?:(?:it|the\s+(?:\w+\s+)?trustee|a\s+responsible\s+officer(?:\s+of\s+the\s+(?:\w+\s+)?"
    r"trustee)?)\s+(?:has|have|shall\s+have|obtains|obtained|acquires|receives|received|becomes|"
    r"first\s+(?:has|obtains|receives))|(?:actual\s+)?knowledge|(?:it\s+)?(?:becomes|is)\s+known|"
    r"(?:the\s+)?receipt\s+(?:by\s+(?:it|the\s+(?:\w+\s+)?trustee)\s+)?of\s+(?:written\s+)?notice)"
)


def default_notice_terms(doc: Document) -> dict[str, dict]:
    def read(sentence: Sentence):
        text = sentence.text
        if not _has(text, r"notice|notif", r"default", r"holders"):
            return None
        if re.search(
            r"\bmeans\b|unremedied|not\s+have\s+cured|continuance\s+of\s+such", text, re.I
        ):
            return None
        if not re.search(r"transmit|mail|give|notify|send|deliver|provide", text, re.I):
            return None
        for duration in durations(text):
            after = _after(text, duration, r"(?:after|following|of|from)\s+(?P<rest>.{0,100})")
            if not after:
                continue
            rest = after["rest"]
            if re.match(r"(?:the\s+)?(?:occurrence|happening)", rest, re.I):
                runs = "occurrence"
            elif re.match(_KNOWLEDGE, rest, re.I):
                runs = "knowledge"
            else:
                continue
            return {
                "default_notice_days": _duration_term(duration, sentence),
                "default_notice_runs_from": cited(runs, sentence),
            }
        return None

    for sentence in _body(doc):
        found = read(sentence)
        if found:
            return found
    return {"default_notice_days": dict(NOT_FOUND), "default_notice_runs_from": dict(NOT_FOUND)}


_NON_PAYMENT = (
    r"covenant|other\s+obligations?|any\s+other|material\s+respect|except|other\s+than"
    r"|warrant|agreement"
)
_CURE_NOTICE = (
    r"(?:after|following|from)\s+(?:the\s+)?(?:date\s+(?:of\s+|on\s+which\s+)?)?(?:the\s+)?"
    r"(?:receipt|there\s+(?:has|shall\s+have)\s+been\s+given|(?:written\s+)?notice|giving|delivery"
    r"|such\s+notice|the\s+\w+\s+(?:receives|shall\s+have\s+received))"
)
_CURE_DEFAULT = (
    r"(?:unremedied|uncured|continu\w*|remains?|persists?|not\s+(?:have\s+been\s+)?(?:cured|remedied)"
    r"|default\s+shall\s+have\s+continued)(?:\s+\w+){0,6}?\s+(?:for|during)\s+(?:a\s+period\s+of\s+)?$"
)


def cure_terms(doc: Document) -> dict[str, dict]:
    def in_default_context(sentence: Sentence) -> bool:
        return bool(
            re.search(r"event\s+of\s+default|default", sentence.title, re.I)
            or re.search(
                r"\"?events?\s+of\s+default\"?\s+means|event\s+of\s+default", sentence.text, re.I
            )
        )

    for sentence in _body(doc):
        text = sentence.text
        if not re.search(r"default|breach|failure", text, re.I) or not in_default_context(sentence):
            continue
        if re.search(r"\bpay", text, re.I) and not re.search(_NON_PAYMENT, text, re.I):
            continue  # a grace period for a payment, not the cure period of a covenant
        if re.search(r"holders\b.{0,60}\bnotice\s+of", text, re.I) and re.search(
            r"transmit|mail", text, re.I
        ):
            continue  # the trustee's notice to the Holders
        for duration in durations(text):
            if _after(text, duration, _CURE_NOTICE) or (
                re.search(r"receiv\w+\s+(?:written\s+)?notice|notice\s+of\s+default", text, re.I)
                and _after(text, duration, r"after\s+(?:the\s+)?receipt")
            ):
                runs = "notice"
            elif _before(text, duration, _CURE_DEFAULT, span=120):
                runs = "default"
            else:
                continue
            return {
                "cure_days": _duration_term(duration, sentence),
                "cure_runs_from": cited(runs, sentence),
            }
    return {"cure_days": dict(NOT_FOUND), "cure_runs_from": dict(NOT_FOUND)}


# -- Votes -------------------------------------------------------------------------------------

_MORE = r"(?:more\s+than|in\s+excess\s+of|greater\s+than|exceeding|over)\s*$"
_LEAST = (
    r"(?:at\s+least|not\s+less\s+than|no\s+less\s+than"
    r"|equal\s+to\s+or\s+(?:greater|more)\s+than)\s*$"
)


def _basis(text: str) -> str | None:
    for pattern, basis in (
        (r"liquidation\s+preference", "liquidation_preference"),
        (r"liquidation\s+amount", "liquidation_amount"),
        (r"principal\s+amount", "principal"),
    ):
        if re.search(pattern, text, re.I):
            return basis
    return None


def _number(value: Decimal):
    return int(value) if value == value.to_integral_value() else float(value)


def majority_terms(doc: Document) -> dict[str, dict]:
    empty = {
        "majority_percent": dict(NOT_FOUND),
        "majority_comparison": dict(NOT_FOUND),
        "majority_basis": dict(NOT_FOUND),
    }
    for sentence in _body(doc):
        text = sentence.text
        if not re.match(
            r'(?:the\s+term\s+|as\s+used\s+herein,?\s+)?"?(?:a\s+)?majority\b[^"]{0,80}"?\s+'
            r"(?:means|shall\s+mean)",
            text,
            re.I,
        ):
            continue
        for percent in percents(text):
            head = text[max(0, percent.start - 40) : percent.start]
            comparison = (
                "more_than"
                if re.search(_MORE, head, re.I)
                else "at_least"
                if re.search(_LEAST, head, re.I)
                else None
            )
            result = dict(empty)
            result["majority_percent"] = cited(_number(percent.value), sentence)
            if comparison:
                result["majority_comparison"] = cited(comparison, sentence)
            basis = _basis(text)
            if basis:
                result["majority_basis"] = cited(basis, sentence)
            return result
    # No definition: "the Holders of a majority in principal amount ... may waive": a majority
    # is more than half.
    for sentence in _body(doc):
        text = sentence.text
        if not re.search(r"\bwaive", text, re.I):
            continue
        match = re.search(r"\bmajority\s+in\s+(?:aggregate\s+)?(?P<basis>[\w\s]{0,40})", text, re.I)
        if match:
            result = dict(empty)
            result["majority_percent"] = cited(50, sentence)
            result["majority_comparison"] = cited("more_than", sentence)
            basis = _basis(match.group(0))
            if basis:
                result["majority_basis"] = cited(basis, sentence)
            return result
    return empty


# -- The trustee's standing (TIA §310) ---------------------------------------------------------

_CATEGORIES = re.compile(
    rf"\bone\s+of\s+the\s+(?P<n>{COUNT})\s+highest\s+(?:(?:long|short)[\s-]term\s+)?"
    r"(?:(?:debt|credit|investment|rating)\s+)*(?:rating\s+)?categor",
    re.I,
)


def capital_terms(doc: Document) -> dict[str, dict]:
    result = {"minimum_capital": dict(NOT_FOUND), "rating_categories": dict(NOT_FOUND)}
    for sentence in _body(doc):
        text = sentence.text
        match = re.search(r"capital\s+(?:and|&)\s+surplus|capital,\s+surplus", text, re.I)
        if result["minimum_capital"]["value"] is None and match:
            amounts = [m for m in money(text) if 0 <= m.start - match.end() <= 160]
            if amounts:
                result["minimum_capital"] = cited(_number(amounts[0].amount), sentence)
        categories = _CATEGORIES.search(text)
        if result["rating_categories"]["value"] is None and categories:
            number = (
                words_to_int(categories["n"])
                if not categories["n"].isdigit()
                else int(categories["n"])
            )
            if number:
                result["rating_categories"] = cited(number, sentence)
        if result["minimum_capital"]["value"] is not None and result["rating_categories"]["value"]:
            break
    return result


def successor_terms(doc: Document) -> dict[str, dict]:
    for sentence in _body(doc):
        text = sentence.text
        if not _has(text, r"successor", r"petition|court|appoint"):
            continue
        for duration in durations(text):
            after = _after(
                text, duration, r"(?:after|following|from)\s+(?P<rest>.{0,140})", span=160
            )
            if not after or not re.search(r"resign|remov|vacanc", after["rest"], re.I):
                continue
            rest = after["rest"]
            runs = (
                "notice_to_holders"
                if re.search(r"^[^.]{0,40}\bholders\b", rest, re.I)
                else "resignation_delivered"
            )
            return {
                "successor_window_days": _duration_term(duration, sentence),
                "successor_runs_from": cited(runs, sentence),
            }
    return {"successor_window_days": dict(NOT_FOUND), "successor_runs_from": dict(NOT_FOUND)}


def conflicting_interest_terms(doc: Document) -> dict[str, dict]:
    def read(sentence: Sentence):
        if not re.search(r"conflicting\s+interest", sentence.text, re.I):
            return None
        for duration in durations(sentence.text):
            if _after(
                sentence.text, duration, r"after\s+(?:ascertaining|it\s+(?:has|shall\s+have))"
            ):
                return _duration_term(duration, sentence)
        return None

    return {"conflicting_interest_days": _first(_body(doc), read)}


def compliance_terms(doc: Document) -> dict[str, dict]:
    result = {"compliance_certificate_days": dict(NOT_FOUND), "fiscal_year_end": dict(NOT_FOUND)}
    for sentence in _body(doc):
        text = sentence.text
        if not re.search(r"certificate", text, re.I) or not re.search(r"fiscal\s+year", text, re.I):
            continue
        for duration in durations(text):
            if _after(
                text, duration, r"(?:after|following)\s+the\s+(?:end|close)\s+of\s+(?:each|any|the)"
            ):
                result["compliance_certificate_days"] = _duration_term(duration, sentence)
                break
        year_end = re.search(
            r"fiscal\s+year(?:\s+of\s+the\s+\w+)?\s+(?:ending|ended|end(?:s|ing)?\s+on)\s+",
            text,
            re.I,
        )
        if year_end:
            dates = find_dates(text[year_end.end() : year_end.end() + 30])
            if dates and dates[0].start == 0:
                result["fiscal_year_end"] = cited(dates[0].month_day, sentence)
        if result["compliance_certificate_days"]["value"] is not None:
            break
    return result


def all_terms(doc: Document) -> dict[str, dict]:
    terms: dict[str, dict] = {}
    for finder in (
        holder_list_terms,
        report_terms,
        default_notice_terms,
        cure_terms,
        majority_terms,
        capital_terms,
        successor_terms,
        conflicting_interest_terms,
        compliance_terms,
    ):
        terms.update(finder(doc))
    return terms
