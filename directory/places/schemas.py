import marshmallow as ma

MAX_SUGGESTIONS = 20


def _has_a_letter_or_digit(text: str) -> None:
    if not any(char.isalnum() for char in text):
        raise ma.ValidationError("Type at least one letter or digit.")


class SuggestArgs(ma.Schema):
    q = ma.fields.String(
        required=True,
        validate=[ma.validate.Length(1, 100), _has_a_letter_or_digit],
        metadata={
            "description": "What the patient typed so far, 1 to 100 characters with at least "
            "one letter or digit; case- and accent-insensitive. Matches the start of a word "
            "of a name; on PostgreSQL a small typo too (from 4 characters)."
        },
    )
    limit = ma.fields.Integer(
        load_default=8,
        validate=ma.validate.Range(1, MAX_SUGGESTIONS),
        metadata={
            "description": f"At most this many suggestions of each kind, 1 to "
            f"{MAX_SUGGESTIONS} (default 8)."
        },
    )


class TreatmentSuggestionSchema(ma.Schema):
    slug = ma.fields.String(required=True)
    name = ma.fields.String(required=True)


class PlaceSuggestionSchema(ma.Schema):
    name = ma.fields.String(
        required=True,
        metadata={"description": "The place's name that matched (usable as `near` or `city`)"},
    )
    country = ma.fields.String(required=True, metadata={"description": "ISO 3166-1 alpha-2"})
    latitude = ma.fields.Float(required=True)
    longitude = ma.fields.Float(required=True)


class PractitionerSuggestionSchema(ma.Schema):
    id = ma.fields.String(required=True)
    full_name = ma.fields.String(required=True)
    city = ma.fields.String(required=True)


class SuggestionsSchema(ma.Schema):
    treatments = ma.fields.List(
        ma.fields.Nested(TreatmentSuggestionSchema),
        required=True,
        metadata={"description": "Prefix matches first, then by name"},
    )
    places = ma.fields.List(
        ma.fields.Nested(PlaceSuggestionSchema),
        required=True,
        metadata={
            "description": "Each place once, under the name that matched; prefix matches "
            "first, then by population (a name that is only an alternate counting for a "
            "hundredth, as `near` resolves names)"
        },
    )
    practitioners = ma.fields.List(
        ma.fields.Nested(PractitionerSuggestionSchema),
        required=True,
        metadata={
            "description": "Live profiles matched by the practitioner's or the clinic's name; "
            "prefix matches first, then best rated first"
        },
    )
