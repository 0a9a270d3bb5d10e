"""Lookup tables for location parsing: countries, regions, states, tech-hub cities, time zones."""

from __future__ import annotations

import pycountry


def _codes(text: str) -> list[str]:
    """Split a space-separated list of ISO codes (long code lists read better as text)."""
    return text.split()


# Region label -> ISO 3166-1 alpha-2 codes. Geographic groupings as job ads use them, not
# political memberships (except "EU"); a curator can widen a list without touching the parser.
_EU = _codes("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE")
_EUROPE = [
    *_EU,
    *_codes("GB NO CH IS LI AD MC SM VA UA MD BY RU RS BA ME MK AL"),
]
_MIDDLE_EAST = _codes("AE BH CY EG IR IQ IL JO KW LB OM PS QA SA SY TR YE")
_AFRICA = _codes(
    "DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR LY "
    "MG MW ML MR MU MA MZ NA NE NG RW ST SN SC SL SO ZA SS SD TZ TG TN UG ZM ZW"
)
_EAST_ASIA = _codes("CN HK MO TW JP KR MN")
_SOUTHEAST_ASIA = _codes("BN KH ID LA MY MM PH SG TH TL VN")
_SOUTH_ASIA = _codes("IN PK BD LK NP BT MV")
_OCEANIA = _codes("AU NZ PG FJ SB VU WS TO KI FM MH NR PW TV")
_CENTRAL_ASIA = _codes("KZ KG TJ TM UZ AF")
_NORTH_AMERICA = ["US", "CA", "MX"]
_CENTRAL_AMERICA = _codes("BZ CR SV GT HN NI PA")
_SOUTH_AMERICA = _codes("AR BO BR CL CO EC GY PY PE SR UY VE")
_LATAM = ["MX", *_CENTRAL_AMERICA, *_SOUTH_AMERICA, "CU", "DO", "PR", "HT"]
_CEE = _codes("PL CZ SK HU RO BG HR SI EE LV LT RS BA ME MK AL UA MD")

REGIONS: dict[str, tuple[str, ...]] = {
    label: tuple(dict.fromkeys(codes))
    for label, codes in {
        "EMEA": [*_EUROPE, *_MIDDLE_EAST, *_AFRICA, "GE", "AM", "AZ"],
        "Europe": _EUROPE,
        "EU": _EU,
        "UK & Ireland": ["GB", "IE"],
        "DACH": ["DE", "AT", "CH"],
        "Nordics": ["DK", "FI", "IS", "NO", "SE"],
        "Benelux": ["BE", "NL", "LU"],
        "CEE": _CEE,
        "Middle East": _MIDDLE_EAST,
        "GCC": ["AE", "BH", "KW", "OM", "QA", "SA"],
        "MENA": [*_MIDDLE_EAST, "DZ", "LY", "MA", "TN"],
        "Africa": _AFRICA,
        "APAC": [*_EAST_ASIA, *_SOUTHEAST_ASIA, *_SOUTH_ASIA, *_OCEANIA],
        "Asia": [
            *_EAST_ASIA,
            *_SOUTHEAST_ASIA,
            *_SOUTH_ASIA,
            *_CENTRAL_ASIA,
            *(c for c in _MIDDLE_EAST if c not in ("EG", "CY")),
            "GE",
            "AM",
            "AZ",
        ],
        "Southeast Asia": _SOUTHEAST_ASIA,
        "Oceania": _OCEANIA,
        "ANZ": ["AU", "NZ"],
        "North America": _NORTH_AMERICA,
        "Central America": _CENTRAL_AMERICA,
        "South America": _SOUTH_AMERICA,
        "LATAM": _LATAM,
        "Americas": [*_NORTH_AMERICA, *_LATAM, "JM", "TT", "BS", "BB"],
    }.items()
}

REGION_ALIASES: dict[str, str] = {
    "emea": "EMEA",
    "europe": "Europe",
    "european union": "EU",
    "eu": "EU",
    "uk&i": "UK & Ireland",
    "uk & i": "UK & Ireland",
    "uk & ireland": "UK & Ireland",
    "uk and ireland": "UK & Ireland",
    "uki": "UK & Ireland",
    "dach": "DACH",
    "nordics": "Nordics",
    "nordic": "Nordics",
    "nordic countries": "Nordics",
    "scandinavia": "Nordics",
    "benelux": "Benelux",
    "cee": "CEE",
    "eastern europe": "CEE",
    "central europe": "CEE",
    "central and eastern europe": "CEE",
    "central eastern europe": "CEE",
    "middle east": "Middle East",
    "gcc": "GCC",
    "mena": "MENA",
    "africa": "Africa",
    "apac": "APAC",
    "asia pacific": "APAC",
    "asia-pacific": "APAC",
    "asia": "Asia",
    "southeast asia": "Southeast Asia",
    "south east asia": "Southeast Asia",
    "south-east asia": "Southeast Asia",
    "oceania": "Oceania",
    "anz": "ANZ",
    "north america": "North America",
    "northern america": "North America",
    "central america": "Central America",
    "south america": "South America",
    "latam": "LATAM",
    "latin america": "LATAM",
    "americas": "Americas",
    "the americas": "Americas",
}

# Names people write for countries that pycountry does not carry (or spells officially).
COUNTRY_ALIASES: dict[str, str] = {
    "us": "US",
    "u.s.": "US",
    "u.s": "US",
    "usa": "US",
    "u.s.a.": "US",
    "u.s.a": "US",
    "united states of america": "US",
    "the united states": "US",
    "uk": "GB",
    "u.k.": "GB",
    "u.k": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "uae": "AE",
    "u.a.e.": "AE",
    "ksa": "SA",
    "south korea": "KR",
    "korea": "KR",
    "republic of korea": "KR",
    "russia": "RU",
    "vietnam": "VN",
    "taiwan": "TW",
    "iran": "IR",
    "czech republic": "CZ",
    "czechia": "CZ",
    "turkey": "TR",
    "türkiye": "TR",
    "turkiye": "TR",
    "holland": "NL",
    "the netherlands": "NL",
    "ivory coast": "CI",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "laos": "LA",
    "syria": "SY",
    "macedonia": "MK",
    "palestine": "PS",
    "brasil": "BR",
    "deutschland": "DE",
    "españa": "ES",
    "méxico": "MX",
    "phillipines": "PH",
    "philipines": "PH",
    "the philippines": "PH",
    "hong kong sar": "HK",
    "mainland china": "CN",
    "prc": "CN",
    "republic of ireland": "IE",
    "the bahamas": "BS",
    "the gambia": "GM",
}

US_STATES: dict[str, str] = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
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
}

CA_PROVINCES: dict[str, str] = {
    "AB": "Alberta",
    "BC": "British Columbia",
    "MB": "Manitoba",
    "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador",
    "NS": "Nova Scotia",
    "NT": "Northwest Territories",
    "NU": "Nunavut",
    "ON": "Ontario",
    "PE": "Prince Edward Island",
    "QC": "Quebec",
    "SK": "Saskatchewan",
    "YT": "Yukon",
}

# City -> (country, region). Tech hubs only; unknown cities still parse as "City, Country".
_US = "US"
CITIES: dict[str, tuple[str, str, str]] = {}  # key -> (display name, country, region)


def _city(names: str, country: str, region: str = "") -> None:
    """Register a city under each of its '|'-separated spellings; the first is the display name."""
    spellings = names.split("|")
    for spelling in spellings:
        CITIES[spelling.lower()] = (spellings[0], country, region)


for _names, _state in (
    ("San Francisco|SF|San Francisco Bay Area|Bay Area|SF Bay Area", "California"),
    ("Palo Alto", "California"),
    ("Mountain View", "California"),
    ("Menlo Park", "California"),
    ("Sunnyvale", "California"),
    ("San Jose", "California"),
    ("Santa Clara", "California"),
    ("Redwood City", "California"),
    ("San Mateo", "California"),
    ("Oakland", "California"),
    ("Berkeley", "California"),
    ("Los Angeles|LA", "California"),
    ("San Diego", "California"),
    ("La Jolla", "California"),
    ("Irvine", "California"),
    ("Seattle", "Washington"),
    ("Bellevue", "Washington"),
    ("Redmond", "Washington"),
    ("Portland", "Oregon"),
    ("New York|NYC|New York City|Manhattan|Brooklyn", "New York"),
    ("Boston", "Massachusetts"),
    ("Austin", "Texas"),
    ("Dallas", "Texas"),
    ("Houston", "Texas"),
    ("Denver", "Colorado"),
    ("Boulder", "Colorado"),
    ("Chicago", "Illinois"),
    ("Atlanta", "Georgia"),
    ("Miami", "Florida"),
    ("Tampa", "Florida"),
    ("Washington|Washington DC|Washington D.C.|DC", "District of Columbia"),
    ("Arlington", "Virginia"),
    ("Pittsburgh", "Pennsylvania"),
    ("Philadelphia", "Pennsylvania"),
    ("Salt Lake City", "Utah"),
    ("Phoenix", "Arizona"),
    ("Raleigh", "North Carolina"),
    ("Durham", "North Carolina"),
    ("Minneapolis", "Minnesota"),
    ("Detroit", "Michigan"),
    ("St. Louis|Saint Louis|St Louis", "Missouri"),
    ("Nashville", "Tennessee"),
):
    _city(_names, _US, _state)

for _names, _country, _region in (
    ("Toronto", "CA", "Ontario"),
    ("Waterloo", "CA", "Ontario"),
    ("Ottawa", "CA", "Ontario"),
    ("Montreal|Montréal", "CA", "Quebec"),
    ("Vancouver", "CA", "British Columbia"),
    ("Calgary", "CA", "Alberta"),
    ("Edmonton", "CA", "Alberta"),
    ("Halifax", "CA", "Nova Scotia"),
    ("Mexico City|Ciudad de México|CDMX", "MX", ""),
    ("Guadalajara", "MX", ""),
    ("São Paulo|Sao Paulo", "BR", ""),
    ("Rio de Janeiro", "BR", ""),
    ("Buenos Aires", "AR", ""),
    ("Bogotá|Bogota", "CO", ""),
    ("Medellín|Medellin", "CO", ""),
    ("Santiago", "CL", ""),
    ("Lima", "PE", ""),
    ("Montevideo", "UY", ""),
    ("London", "GB", ""),
    ("Manchester", "GB", ""),
    ("Edinburgh", "GB", ""),
    ("Oxford", "GB", ""),
    ("Bristol", "GB", ""),
    ("Dublin", "IE", ""),
    ("Paris", "FR", ""),
    ("Lyon", "FR", ""),
    ("Berlin", "DE", ""),
    ("Munich|München|Muenchen", "DE", ""),
    ("Hamburg", "DE", ""),
    ("Frankfurt", "DE", ""),
    ("Cologne|Köln", "DE", ""),
    ("Stuttgart", "DE", ""),
    ("Amsterdam", "NL", ""),
    ("Rotterdam", "NL", ""),
    ("Eindhoven", "NL", ""),
    ("Brussels", "BE", ""),
    ("Zurich|Zürich", "CH", ""),
    ("Geneva", "CH", ""),
    ("Lausanne", "CH", ""),
    ("Vienna|Wien", "AT", ""),
    ("Prague", "CZ", ""),
    ("Warsaw", "PL", ""),
    ("Kraków|Krakow", "PL", ""),
    ("Wrocław|Wroclaw", "PL", ""),
    ("Gdańsk|Gdansk", "PL", ""),
    ("Budapest", "HU", ""),
    ("Bucharest", "RO", ""),
    ("Sofia", "BG", ""),
    ("Athens", "GR", ""),
    ("Lisbon", "PT", ""),
    ("Porto", "PT", ""),
    ("Madrid", "ES", ""),
    ("Barcelona", "ES", ""),
    ("Milan|Milano", "IT", ""),
    ("Rome", "IT", ""),
    ("Turin", "IT", ""),
    ("Copenhagen", "DK", ""),
    ("Stockholm", "SE", ""),
    ("Oslo", "NO", ""),
    ("Helsinki", "FI", ""),
    ("Tallinn", "EE", ""),
    ("Riga", "LV", ""),
    ("Vilnius", "LT", ""),
    ("Kyiv|Kiev", "UA", ""),
    ("Lviv", "UA", ""),
    ("Belgrade", "RS", ""),
    ("Zagreb", "HR", ""),
    ("Istanbul", "TR", ""),
    ("Tel Aviv|Tel Aviv-Yafo|Tel-Aviv", "IL", ""),
    ("Haifa", "IL", ""),
    ("Dubai", "AE", ""),
    ("Abu Dhabi", "AE", ""),
    ("Riyadh", "SA", ""),
    ("Doha", "QA", ""),
    ("Cairo", "EG", ""),
    ("Lagos", "NG", ""),
    ("Nairobi", "KE", ""),
    ("Cape Town", "ZA", ""),
    ("Johannesburg", "ZA", ""),
    ("Bangalore|Bengaluru", "IN", "Karnataka"),
    ("Hyderabad", "IN", "Telangana"),
    ("Pune", "IN", "Maharashtra"),
    ("Mumbai", "IN", "Maharashtra"),
    ("New Delhi|Delhi", "IN", "Delhi"),
    ("Gurgaon|Gurugram", "IN", "Haryana"),
    ("Noida", "IN", "Uttar Pradesh"),
    ("Chennai", "IN", "Tamil Nadu"),
    ("Singapore", "SG", ""),
    ("Hong Kong", "HK", ""),
    ("Shanghai", "CN", ""),
    ("Beijing", "CN", ""),
    ("Shenzhen", "CN", ""),
    ("Hangzhou", "CN", ""),
    ("Taipei", "TW", ""),
    ("Tokyo", "JP", ""),
    ("Osaka", "JP", ""),
    ("Seoul", "KR", ""),
    ("Sydney", "AU", "New South Wales"),
    ("Melbourne", "AU", "Victoria"),
    ("Brisbane", "AU", "Queensland"),
    ("Auckland", "NZ", ""),
    ("Wellington", "NZ", ""),
    ("Manila|Metro Manila", "PH", ""),
    ("Jakarta", "ID", ""),
    ("Kuala Lumpur", "MY", ""),
    ("Bangkok", "TH", ""),
    ("Ho Chi Minh City", "VN", ""),
    ("Hanoi", "VN", ""),
):
    _city(_names, _country, _region)

# City-states and cities named like their country resolve as cities, with the country set.
CITY_STATES = frozenset({"singapore", "hong kong"})

# Country name (lowercase) -> alpha-2, from pycountry plus the aliases above.
COUNTRY_NAMES: dict[str, str] = {}
# Upper-case codes that only count when written in capitals ("US", "DEU"), never as words.
COUNTRY_CODES: dict[str, str] = {}
for _country in pycountry.countries:
    for _attr in ("name", "common_name", "official_name"):
        _value = getattr(_country, _attr, None)
        if _value:
            COUNTRY_NAMES.setdefault(_value.lower(), _country.alpha_2)
    COUNTRY_CODES[_country.alpha_2] = _country.alpha_2
    COUNTRY_CODES[_country.alpha_3] = _country.alpha_2
COUNTRY_NAMES.update(COUNTRY_ALIASES)
COUNTRY_CODES["UK"] = "GB"
COUNTRY_CODES["KSA"] = "SA"
COUNTRY_CODES["UAE"] = "AE"

US_STATE_NAMES = {name.lower(): name for name in US_STATES.values()}
CA_PROVINCE_NAMES = {name.lower(): name for name in CA_PROVINCES.values()}

# Time-zone abbreviations -> UTC offset in minutes. Matched case-sensitively (capitals only)
# because several are English words or country codes in lower case.
TZ_ABBREVIATIONS: dict[str, int] = {
    "UTC": 0,
    "GMT": 0,
    "WET": 0,
    "BST": 60,
    "CET": 60,
    "CEST": 120,
    "EET": 120,
    "EEST": 180,
    "MSK": 180,
    "EST": -300,
    "EDT": -240,
    "CST": -360,
    "CDT": -300,
    "MST": -420,
    "MDT": -360,
    "PST": -480,
    "PDT": -420,
    "AKST": -540,
    "HST": -600,
    "IST": 330,
    "SGT": 480,
    "HKT": 480,
    "JST": 540,
    "KST": 540,
    "AEST": 600,
    "AEDT": 660,
    "AWST": 480,
    "NZST": 720,
    "NZDT": 780,
    "BRT": -180,
    "ART": -180,
}

# Spelled-out zones and zone groups -> (first, last) offsets in minutes.
TZ_NAMES: dict[str, tuple[int, int]] = {
    "eastern time": (-300, -300),
    "central time": (-360, -360),
    "mountain time": (-420, -420),
    "pacific time": (-480, -480),
    "us time zones": (-480, -300),
    "us timezones": (-480, -300),
    "usa time zones": (-480, -300),
    "usa timezones": (-480, -300),
    "north american time zones": (-480, -300),
    "north american timezones": (-480, -300),
    "european time zones": (0, 120),
    "european timezones": (0, 120),
    "european time zone": (0, 120),
    "european timezone": (0, 120),
    "central european time": (60, 60),
}
