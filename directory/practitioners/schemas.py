import marshmallow as ma

from directory.core.api import ResponseSchema
from directory.core.pagination import PageArgs
from directory.core.validation import CountryCode, CurrencyCode, Email, LanguageCode, PhoneNumber
from directory.credentials.schemas import PublicCertificationSchema
from directory.practitioners.search import SearchSort
from directory.treatments.schemas import TreatmentSlugs

MAX_RADIUS_KM = 500


def _text(maximum: int, **kwargs) -> ma.fields.String:
    return ma.fields.String(validate=ma.validate.Length(max=maximum), **kwargs)


def _optional_text(maximum: int) -> ma.fields.String:
    return _text(maximum, allow_none=True)


class RatingSummarySchema(ResponseSchema):
    average = ma.fields.Float(allow_none=True, metadata={"description": "One decimal"})
    count = ma.fields.Integer()


class RatingSchema(RatingSummarySchema):
    distribution = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Integer(),
        metadata={
            "description": "Published testimonials by rating, from '1' to '5'",
            "example": {"1": 0, "2": 0, "3": 1, "4": 2, "5": 3},
        },
    )


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
    price_from = ma.fields.Float(allow_none=True, validate=ma.validate.Range(0, 1_000_000))
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
    currency = ma.fields.String(dump_only=True)
    accepts_new_patients = ma.fields.Boolean(dump_only=True)
    verified = ma.fields.Boolean(dump_only=True)
    rating = ma.fields.Nested(RatingSummarySchema, dump_only=True)
    distance_km = ma.fields.Float(
        dump_only=True,
        metadata={"description": "Only when searching with coordinates", "optional": True},
    )


class PractitionerSchema(ProfileWriteSchema, ResponseSchema):
    """A whole profile, as read."""

    id = ma.fields.String(dump_only=True)
    verified = ma.fields.Boolean(dump_only=True)
    rating = ma.fields.Nested(RatingSchema, dump_only=True)
    certifications = ma.fields.List(
        ma.fields.Nested(PublicCertificationSchema),
        attribute="verified_certifications",
        dump_only=True,
    )
    created_at = ma.fields.AwareDateTime(dump_only=True)
    updated_at = ma.fields.AwareDateTime(dump_only=True)


GEOGRAPHY = "Give lat, lng and radius_km together, or none of them."


class SearchArgs(PageArgs):
    q = ma.fields.String(
        validate=ma.validate.Length(1, 200),
        metadata={
            "description": "Words that must all appear in the name, clinic, city or bio "
            "(case and accents ignored)."
        },
    )
    treatment = TreatmentSlugs(
        maximum=10,
        metadata={
            "description": "A treatment slug the practitioner must offer; repeat the parameter "
            "(at most 10) to require each of several."
        },
    )
    city = ma.fields.String(
        validate=ma.validate.Length(1, 120),
        metadata={"description": "The city, whole (case and accents ignored)."},
    )
    country = CountryCode(metadata={"description": "ISO 3166-1 alpha-2 country code (`FR`)."})
    lat = ma.fields.Float(
        validate=ma.validate.Range(-90, 90),
        metadata={"description": f"Latitude of the centre, in degrees. {GEOGRAPHY}"},
    )
    lng = ma.fields.Float(
        validate=ma.validate.Range(-180, 180),
        metadata={"description": f"Longitude of the centre, in degrees. {GEOGRAPHY}"},
    )
    radius_km = ma.fields.Float(
        validate=ma.validate.Range(0, MAX_RADIUS_KM, min_inclusive=False),
        metadata={
            "description": "Only practitioners within this distance of the centre, in "
            f"kilometres (above 0, at most {MAX_RADIUS_KM}). {GEOGRAPHY}"
        },
    )
    verified = ma.fields.Boolean(
        metadata={
            "description": "true: only practitioners with a verified, unexpired certification; "
            "false: only those without one."
        }
    )
    min_rating = ma.fields.Float(
        validate=ma.validate.Range(1, 5),
        metadata={
            "description": "Only practitioners whose average rating is at least this (1 to 5); "
            "unrated ones never match."
        },
    )
    language = LanguageCode(
        metadata={"description": "ISO 639-1 code of a language the practitioner speaks (`fr`)."}
    )
    max_price = ma.fields.Float(
        validate=ma.validate.Range(0),
        metadata={
            "description": "Only practitioners whose `price_from` is at most this, in their own "
            "currency (no conversion); those without a price never match."
        },
    )
    accepts_new_patients = ma.fields.Boolean(
        metadata={"description": "Only practitioners who do (true) or do not (false)."}
    )
    sort = ma.fields.Enum(
        SearchSort,
        by_value=True,
        metadata={
            "description": "`relevance` (name matches first), `distance` (nearest first; needs "
            "lat, lng and radius_km), `rating` (best rated first, the average weighed by the "
            "number of testimonials), `reviews` (most testimonials first), `price` (lowest "
            "`price_from` first), `newest`, `name`. Default: `relevance` with q, else "
            "`distance` with coordinates, else `rating`."
        },
    )

    @ma.validates_schema
    def _geography(self, data: dict, **kwargs) -> None:
        given = [name for name in ("lat", "lng", "radius_km") if name in data]
        if given and len(given) != 3:
            raise ma.ValidationError("Give lat, lng and radius_km together.", "radius_km")
        if data.get("sort") == SearchSort.DISTANCE and not given:
            raise ma.ValidationError("Sorting by distance needs lat, lng and radius_km.", "sort")

    @ma.post_load
    def _default_sort(self, data: dict, **kwargs) -> dict:
        if "sort" not in data:
            if "q" in data:
                data["sort"] = SearchSort.RELEVANCE
            elif "lat" in data:
                data["sort"] = SearchSort.DISTANCE
            else:
                data["sort"] = SearchSort.RATING
        return data


class ProfileUpdateSchema(ProfileWriteSchema):
    """A partial update: any subset of the writable fields (use with partial=True)."""
