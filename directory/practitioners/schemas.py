from datetime import UTC

import marshmallow as ma
from webargs.fields import DelimitedList

from directory.core.api import ResponseSchema, Serialized
from directory.core.pagination import PageArgs, page_schema
from directory.core.validation import CountryCode, CurrencyCode, Email, LanguageCode, PhoneNumber
from directory.credentials.schemas import PublicCertificationSchema
from directory.practitioners.search import (
    DEFAULT_CURRENCY,
    EXACT_TOTAL_UP_TO,
    NEAR_RADIUS_KM,
    PRICE_BUCKETS,
    RATING_BUCKETS,
    SearchFacet,
    SearchSort,
)
from directory.treatments.schemas import MAX_TREATMENTS, TreatmentSlug, TreatmentSlugs

MAX_RADIUS_KM = 500
MAX_PRICE = 1_000_000
MAX_AVAILABLE_WITHIN_DAYS = 60
NEXT_AVAILABLE = (
    "Start of the first free booking slot (in UTC), or null: no schedule, or nothing free "
    "within the practitioner's horizon"
)


def _text(maximum: int, **kwargs) -> ma.fields.String:
    return ma.fields.String(validate=ma.validate.Length(max=maximum), **kwargs)


def _optional_text(maximum: int) -> ma.fields.String:
    return _text(maximum, allow_none=True)


class RatingSummarySchema(ResponseSchema):
    average = ma.fields.Float(allow_none=True, metadata={"description": "One decimal"})
    count = ma.fields.Integer()


class AspectAveragesSchema(ResponseSchema):
    """The average of each aspect over the published testimonials that rate it (one decimal;
    null when none does)."""

    results = ma.fields.Float(allow_none=True)
    communication = ma.fields.Float(allow_none=True)
    value = ma.fields.Float(allow_none=True)


class WorthItCountsSchema(ResponseSchema):
    """How many published testimonials answered "was it worth it?" so."""

    yes = ma.fields.Integer()
    no = ma.fields.Integer()
    not_sure = ma.fields.Integer()


class RatingSchema(RatingSummarySchema):
    distribution = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Integer(),
        metadata={
            "description": "Published testimonials by rating, from '1' to '5'",
            "example": {"1": 0, "2": 0, "3": 1, "4": 2, "5": 3},
        },
    )
    aspects = ma.fields.Nested(AspectAveragesSchema)
    worth_it = ma.fields.Nested(WorthItCountsSchema)


class ReviewIntegritySchema(ResponseSchema):
    """How the profile's reviews came about, counted from the records: published testimonials
    by proof, and over the last 12 months the invitations sent, the consultations completed
    and the testimonials hidden by moderators. Many invitations and few consultations, for
    instance, show a practitioner who picks whom to ask."""

    testimonials_from_consultations = ma.fields.Integer()
    testimonials_from_invitations = ma.fields.Integer()
    invitations_sent_12_months = ma.fields.Integer()
    consultations_completed_12_months = ma.fields.Integer()
    hidden_12_months = ma.fields.Integer()


class SuspensionSchema(ResponseSchema):
    since = ma.fields.AwareDateTime()
    notice = ma.fields.String(metadata={"description": "The admin's public notice"})


class SuspendSchema(ma.Schema):
    reason = ma.fields.String(
        required=True,
        validate=ma.validate.Length(1, 1000),
        metadata={"description": "Why (for the audit log only, never shown)"},
    )
    notice = ma.fields.String(
        required=True,
        validate=ma.validate.Length(1, 1000),
        metadata={"description": "What the public profile says while suspended"},
    )


VERIFIED_TREATMENTS = {
    "description": "Treatments covered by the practitioner's verified, unexpired certifications"
}


class ProfileWriteSchema(ma.Schema):
    """What a practitioner may write on their profile; everything else is read-only."""

    full_name = ma.fields.String(validate=ma.validate.Length(1, 120))
    title = _optional_text(120)
    clinic_name = _optional_text(160)
    bio = _optional_text(5000)
    email = Email(allow_none=True)
    phone = PhoneNumber(allow_none=True)
    website = ma.fields.URL(
        allow_none=True, schemes={"http", "https"}, validate=ma.validate.Length(max=500)
    )
    address = _optional_text(250)
    city = ma.fields.String(required=True, validate=ma.validate.Length(1, 120))
    region = _optional_text(120)
    postal_code = _optional_text(20)
    country = CountryCode(required=True)
    latitude = ma.fields.Float(allow_none=True, validate=ma.validate.Range(-90, 90))
    longitude = ma.fields.Float(allow_none=True, validate=ma.validate.Range(-180, 180))
    treatments = TreatmentSlugs()
    languages = ma.fields.List(LanguageCode(), validate=ma.validate.Length(max=20))
    price_from = ma.fields.Float(allow_none=True, validate=ma.validate.Range(0, MAX_PRICE))
    treatment_prices = ma.fields.Dict(
        keys=ma.fields.String(validate=ma.validate.Length(1, 60)),
        values=ma.fields.Float(validate=ma.validate.Range(0, MAX_PRICE)),
        validate=ma.validate.Length(max=MAX_TREATMENTS),
        metadata={
            "description": "The price of some of the profile's treatments, in its currency: "
            "{slug: amount}. Each slug must be one of `treatments` (422 otherwise); a "
            "treatment left out has no price of its own (`price_from` applies). Writing it "
            "replaces every price; changing `treatments` keeps the prices of the treatments "
            "kept.",
            "example": {"anti-aging": 180, "hair-restoration": 250},
        },
    )
    currency = CurrencyCode()
    years_experience = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(0, 80))
    accepts_new_patients = ma.fields.Boolean()


class PractitionerSummarySchema(ResponseSchema):
    """A search result."""

    id = ma.fields.String(dump_only=True)
    full_name = ma.fields.String(dump_only=True)
    title = ma.fields.String(dump_only=True, allow_none=True)
    clinic_name = ma.fields.String(dump_only=True, allow_none=True)
    city = ma.fields.String(dump_only=True)
    country = ma.fields.String(dump_only=True)
    latitude = ma.fields.Float(dump_only=True, allow_none=True)
    longitude = ma.fields.Float(dump_only=True, allow_none=True)
    treatments = ma.fields.List(ma.fields.String(), dump_only=True)
    languages = ma.fields.List(ma.fields.String(), dump_only=True)
    price_from = ma.fields.Float(dump_only=True, allow_none=True)
    treatment_prices = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Float(),
        dump_only=True,
        metadata={"description": "{slug: amount} for the treatments priced, in `currency`"},
    )
    currency = ma.fields.String(dump_only=True)
    accepts_new_patients = ma.fields.Boolean(dump_only=True)
    verified = ma.fields.Boolean(dump_only=True)
    verified_treatments = ma.fields.List(
        ma.fields.String(), dump_only=True, metadata=VERIFIED_TREATMENTS
    )
    rating = ma.fields.Nested(RatingSummarySchema, dump_only=True)
    next_available = ma.fields.AwareDateTime(
        dump_only=True, allow_none=True, metadata={"description": NEXT_AVAILABLE}
    )
    distance_km = ma.fields.Float(
        dump_only=True,
        allow_none=True,
        metadata={
            "description": "Kilometres from the search's point (`lat`/`lng` or `near`), two "
            "decimals; only when searching around a point; null for a profile without "
            "coordinates (listed last by distance)",
            "optional": True,
        },
    )


class PractitionerSchema(ProfileWriteSchema, ResponseSchema):
    """A whole profile, as read."""

    id = ma.fields.String(dump_only=True)
    verified = ma.fields.Boolean(dump_only=True)
    verified_treatments = ma.fields.List(
        ma.fields.String(), dump_only=True, metadata=VERIFIED_TREATMENTS
    )
    rating = ma.fields.Nested(RatingSchema, dump_only=True)
    next_available = ma.fields.AwareDateTime(
        dump_only=True, allow_none=True, metadata={"description": NEXT_AVAILABLE}
    )
    review_integrity = ma.fields.Nested(ReviewIntegritySchema, dump_only=True)
    suspension = ma.fields.Nested(
        SuspensionSchema,
        dump_only=True,
        allow_none=True,
        metadata={"description": "null unless an admin has suspended the practitioner"},
    )
    certifications = ma.fields.List(
        ma.fields.Nested(PublicCertificationSchema),
        attribute="verified_certifications",
        dump_only=True,
    )
    created_at = ma.fields.AwareDateTime(dump_only=True)
    updated_at = ma.fields.AwareDateTime(dump_only=True)


def _described(field: ma.fields.Field, description: str) -> ma.fields.Field:
    field.metadata = {**field.metadata, "description": description}
    return field


class SearchArgs(PageArgs):
    q = _described(
        ma.fields.String(validate=ma.validate.Length(1, 200)),
        "Free text over name, clinic, biography and city; case- and accent-insensitive; every "
        "word must match.",
    )
    treatment = _described(
        TreatmentSlugs(maximum=10),
        "A treatment slug (422 if unknown); repeatable, up to 10: a result offers every one.",
    )
    city = _described(
        ma.fields.String(validate=ma.validate.Length(1, 120)),
        "A city, case- and accent-insensitive: matches the profiles of every gazetteer place "
        "that answers to this name (`munich` finds a profile written `München`), and the "
        "profiles whose city is spelt so.",
    )
    country = _described(
        CountryCode(),
        "ISO 3166-1 alpha-2: practitioners in this country; with `near`, the place is sought "
        "among this country's places.",
    )
    lat = _described(
        ma.fields.Float(validate=ma.validate.Range(-90, 90)),
        "Latitude of the search's point, with `lng` (422 alone). Not with `near`.",
    )
    lng = _described(
        ma.fields.Float(validate=ma.validate.Range(-180, 180)),
        "Longitude of the search's point, with `lat` (422 alone). Not with `near`.",
    )
    near = _described(
        ma.fields.String(validate=ma.validate.Length(1, 200)),
        "A place name resolved by the built-in gazetteer to its point (`Munich`, `München` "
        "and `munchen` are one place; an ambiguous name means its most populous place, in "
        "`country` when given). An unknown name is a 422 whose `errors.near` suggests close "
        f"names. Not with `lat`/`lng`. Without `radius_km`, the radius is {NEAR_RADIUS_KM} km.",
    )
    radius_km = _described(
        ma.fields.Float(validate=ma.validate.Range(0, MAX_RADIUS_KM, min_inclusive=False)),
        f"Only practitioners within this distance of the point, 0 < radius_km <= "
        f"{MAX_RADIUS_KM}; needs `lat`/`lng` or `near`. Optional with `lat`/`lng` (no limit), "
        f"{NEAR_RADIUS_KM} by default with `near`.",
    )
    verified = _described(
        ma.fields.Boolean(), "true: holds a verified, unexpired certification; false: does not."
    )
    verified_for = _described(
        TreatmentSlug(),
        "A treatment slug (422 if unknown): holds a verified, unexpired certification that "
        "covers this treatment.",
    )
    min_rating = _described(
        ma.fields.Float(validate=ma.validate.Range(1, 5)),
        "1..5: average rating at least this; unrated practitioners never match.",
    )
    language = _described(LanguageCode(), "ISO 639-1: the practitioner speaks it.")
    max_price = _described(
        ma.fields.Float(validate=ma.validate.Range(0)),
        "Price at most this, in `currency`: with one `treatment`, that treatment's price where "
        "the profile gives one, else `price_from`. Only profiles priced in `currency` match; "
        "profiles without a price never do.",
    )
    currency = _described(
        CurrencyCode(load_default=DEFAULT_CURRENCY),
        f"ISO 4217 (default {DEFAULT_CURRENCY}): the currency of `max_price` and of the "
        "`price` facet. Alone it filters nothing.",
    )
    updated_since = _described(
        ma.fields.AwareDateTime(default_timezone=UTC),
        "ISO 8601 timestamp (UTC when it has no offset): profiles changed at or after it.",
    )
    accepts_new_patients = _described(ma.fields.Boolean(), "true / false.")
    available_within_days = _described(
        ma.fields.Integer(validate=ma.validate.Range(1, MAX_AVAILABLE_WITHIN_DAYS)),
        f"1..{MAX_AVAILABLE_WITHIN_DAYS}: has a free booking slot starting within this many "
        "days (24-hour days from now).",
    )
    facets = _described(
        DelimitedList(
            ma.fields.Enum(SearchFacet, by_value=True), validate=ma.validate.Length(min=1)
        ),
        "Comma-separated facet names (422 for an unknown one): adds `facets` to the answer. "
        "See SearchFacets.",
    )
    sort = _described(
        ma.fields.Enum(SearchSort, by_value=True),
        "Default: relevance with `q`, else distance around a point, else rating. distance "
        "needs `lat`/`lng` or `near` (422 otherwise). soonest: earliest `next_available` "
        "first, practitioners with none last. Ties are broken by id.",
    )

    @ma.validates_schema
    def _geography(self, data: dict, **kwargs) -> None:
        coordinates = [name for name in ("lat", "lng") if name in data]
        if len(coordinates) == 1:
            raise ma.ValidationError("Give lat and lng together.", coordinates[0])
        if coordinates and "near" in data:
            message = "Give a place (near) or coordinates (lat, lng), not both."
            raise ma.ValidationError(message, "near")
        around_a_point = bool(coordinates) or "near" in data
        if "radius_km" in data and not around_a_point:
            raise ma.ValidationError("A radius needs a point: lat and lng, or near.", "radius_km")
        if data.get("sort") == SearchSort.DISTANCE and not around_a_point:
            raise ma.ValidationError("Sorting by distance needs lat and lng, or near.", "sort")

    @ma.post_load
    def _default_sort(self, data: dict, **kwargs) -> dict:
        if "sort" not in data:
            if "q" in data:
                data["sort"] = SearchSort.RELEVANCE
            elif "lat" in data or "near" in data:
                data["sort"] = SearchSort.DISTANCE
            else:
                data["sort"] = SearchSort.RATING
        return data


class FacetValueSchema(ma.Schema):
    value = ma.fields.String(required=True)
    count = ma.fields.Integer(required=True)


def _facet(description: str) -> ma.fields.List:
    return ma.fields.List(ma.fields.Nested(FacetValueSchema), metadata={"description": description})


class SearchFacetsSchema(ma.Schema):
    """Counts for a frontend's filters: only the facets asked for, each at most
    MAX_FACET_VALUES values that occur, most frequent first (ties in the order of the values).
    `treatment` counts, among the current matches, those that also offer each treatment; every
    other facet counts the matches of every filter but its own, so that it shows the
    alternatives."""

    treatment = _facet("Treatment slugs")
    language = _facet("ISO 639-1 codes")
    city = _facet(
        "Places of the gazetteer, by name (two places of one name are two values: `country` "
        "tells them apart); a profile whose city is no known place counts under its own spelling"
    )
    country = _facet("ISO 3166-1 alpha-2 codes")
    verified = _facet("`true` and `false`")
    rating = _facet(
        f"Cumulative buckets {', '.join(RATING_BUCKETS)}: average rating at least the number, "
        "as `min_rating` counts it"
    )
    price = _facet(
        f"Buckets {', '.join(PRICE_BUCKETS)} in the requested `currency` (lower bound "
        "included, upper excluded), by the price `max_price` compares; profiles priced in "
        "another currency or without a price are not counted"
    )


class SearchPageSchema(page_schema(PractitionerSummarySchema)):
    # Built from the page's rows by practitioners.search (SUMMARY_COLUMNS), not dumped here.
    items = Serialized(ma.fields.Nested(PractitionerSummarySchema))
    total = ma.fields.Integer(
        required=True,
        metadata={
            "description": f"Exact up to {EXACT_TOTAL_UP_TO:,} matches; above that it may be a "
            "lower bound (then `total_exact` is false)"
        },
    )
    total_exact = ma.fields.Boolean(
        required=True, metadata={"description": "false when `total` is only a lower bound"}
    )
    facets = ma.fields.Nested(
        SearchFacetsSchema,
        metadata={"description": "Only when `facets` is given", "optional": True},
    )


class ProfileUpdateSchema(ProfileWriteSchema):
    """A partial update: any subset of the writable fields (use with partial=True)."""
