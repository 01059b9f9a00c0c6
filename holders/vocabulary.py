"""What the columns and values of a holders file may be called and written as: our fields,
their usual headings, US states, countries, yes/no words, and the patterns the checks use.
No Django here."""

from __future__ import annotations

import re
from decimal import Decimal

FIELDS = (
    "name",
    "address_1",
    "address_2",
    "address_3",
    "city",
    "state",
    "postal_code",
    "country",
    "email",
    "amount",
    "guarantor_affiliate",
    "trustee_affiliate",
)
REQUIRED = ("name", "address_1", "city", "amount")
# Without a country column every holder is in the United States and needs a state and ZIP.
REQUIRED_WITHOUT_COUNTRY = ("state", "postal_code")

SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "holder name",
        "registered name",
        "holder",
        "registered holder",
        "holder of record",
        "full name",
    ),
    "address_1": ("address", "address 1", "address line 1", "street", "street address"),
    "address_2": ("address 2", "address line 2", "street 2"),
    "address_3": ("address 3", "address line 3", "street 3"),
    "city": ("city", "town", "city/town"),
    "state": ("state", "province", "state/province", "st", "state or province", "state code"),
    "postal_code": ("zip", "zip code", "postal code", "postcode", "zip/postal code", "zip+4"),
    "country": ("country", "country code"),
    "email": ("email", "e-mail", "email address"),
    "amount": (
        "amount",
        "units",
        "shares",
        "quantity",
        "principal amount",
        "liquidation amount",
        "par",
        "par amount",
        "amount held",
        "face amount",
    ),
    "guarantor_affiliate": ("guarantor affiliate", "guarantor or affiliate"),
    "trustee_affiliate": ("trustee affiliate", "trustee or affiliate"),
}

LABELS = {
    "name": "holder's name",
    "address_1": "first address line",
    "address_2": "second address line",
    "address_3": "third address line",
    "city": "city",
    "state": "state",
    "postal_code": "ZIP or postal code",
    "country": "country",
    "email": "email address",
    "amount": "amount",
    "guarantor_affiliate": "Guarantor affiliate flag",
    "trustee_affiliate": "trustee affiliate flag",
}

# The register's column sizes (holders.models.Holder); a longer value could not be stored.
MAX_LENGTHS = {"name": 200, "city": 100, "state": 50, "postal_code": 20, "email": 254}
# Holdings fit the register's NUMERIC(18, 2): below ten quadrillion.
MAX_AMOUNT = Decimal(10) ** 16
# Parsed amounts and checked mail domains are kept for reuse up to this many of each.
CACHE_SIZE = 100_000
SHOWN_CHARACTERS = 40

US_STATES = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "DC": "District of Columbia",
    "PR": "Puerto Rico",
    "GU": "Guam",
    "VI": "U.S. Virgin Islands",
    "AS": "American Samoa",
    "MP": "Northern Mariana Islands",
    "AA": "Armed Forces Americas",
    "AE": "Armed Forces Europe",
    "AP": "Armed Forces Pacific",
}

# ISO 3166-1 alpha-2.
_ISO_3166 = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
    DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
    GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
    KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
    MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
    PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
    SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
    VN VU WF WS YE YT ZA ZM ZW
"""
COUNTRY_CODES = frozenset(_ISO_3166.split())
# Country names as registrars write them; the rest must be given by their ISO code.
COUNTRY_NAMES = {
    "united states": "US",
    "united states of america": "US",
    "usa": "US",
    "us": "US",
    "america": "US",
    "canada": "CA",
    "mexico": "MX",
    "united kingdom": "GB",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "ireland": "IE",
    "germany": "DE",
    "france": "FR",
    "switzerland": "CH",
    "netherlands": "NL",
    "the netherlands": "NL",
    "holland": "NL",
    "belgium": "BE",
    "luxembourg": "LU",
    "italy": "IT",
    "spain": "ES",
    "portugal": "PT",
    "sweden": "SE",
    "norway": "NO",
    "denmark": "DK",
    "finland": "FI",
    "austria": "AT",
    "japan": "JP",
    "china": "CN",
    "hong kong": "HK",
    "singapore": "SG",
    "india": "IN",
    "australia": "AU",
    "new zealand": "NZ",
    "brazil": "BR",
    "argentina": "AR",
    "israel": "IL",
    "bermuda": "BM",
    "cayman islands": "KY",
    "bahamas": "BS",
    "the bahamas": "BS",
    "british virgin islands": "VG",
    "south korea": "KR",
    "korea": "KR",
    "taiwan": "TW",
    "south africa": "ZA",
}

_FLAGS = {
    "": False,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
    "x": True,
}


def _key(text: str) -> str:
    """A heading or name compared without case, spaces or punctuation: "ZIP-Code" = "zip code"."""
    return "".join(character for character in text.casefold() if character.isalnum())


_STATE_CODES = {code: code for code in US_STATES}
_STATE_CODES.update({_key(name): code for code, name in US_STATES.items()})
_STATE_CODES.update({_key(code): code for code in US_STATES})
_STATE_CODES["virginislands"] = "VI"
_STATE_CODES["dc"] = "DC"
_STATE_CODES["washingtondc"] = "DC"
_COUNTRY_KEYS = {_key(name): code for name, code in COUNTRY_NAMES.items()}
_SYNONYM_KEYS = {name: frozenset(map(_key, words)) for name, words in SYNONYMS.items()}

_ZIP = re.compile(r"(\d{5})(?:[- ]?(\d{4}))?", re.ASCII)
_ZIP_LOST_ZERO = re.compile(r"\d{3,4}(?:-?\d{4})?", re.ASCII)
_EMAIL_LOCAL = re.compile(r"[^\s@\"(),:;<>\[\\\]]+")
_EMAIL_DOMAIN = re.compile(r"(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63}")
_AMOUNT = re.compile(r"(?P<whole>\d{1,3}(?:,\d{3})+|\d+)?(?:\.(?P<cents>\d*))?", re.ASCII)
_EUROPEAN_AMOUNT = re.compile(r"\d{1,3}(?:[. ]\d{3})*,\d{1,2}", re.ASCII)
_GROUPED_AMOUNT = re.compile(r"[\d,]+(?:\.\d*)?", re.ASCII)
_NOT_NUMBERS = frozenset({"nan", "snan", "inf", "infinity", "+inf", "+infinity"})
_SPACES = re.compile(r" {2,}")
