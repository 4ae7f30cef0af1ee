from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.core.db import ID_LENGTH, Timestamps, UTCDateTime, id_column, today, trigram_index
from directory.core.text import fold
from directory.extensions import db
from directory.practitioners.rating_summary import ASPECTS, STAR_VALUES, WorthIt, average
from directory.treatments.reference import REFERENCE_TREATMENT_SLUGS

# The profiles search and suggestions show (practitioners.search.listed): their indexes hold
# those rows only, so that no suspended or deleted row is read to be skipped.
LISTED = text("deleted_at IS NULL AND suspended_at IS NULL")
LOCATION_INCLUDES = ["id", "verified_until", "treatment_keys", "language_keys"]
CITY_WALK_INCLUDES = ["price_from", "currency", "verified_until", "treatment_keys", "language_keys"]


def listed_trigram_index(name: str, column: str) -> Index:
    """Substrings and typos of a column of the listed profiles, on PostgreSQL (pg_trgm)."""
    return trigram_index(name, column, postgresql_where=LISTED)


def treatment_location_index(slug: str) -> Index:
    """The location index of the listed profiles that offer one reference treatment.

    A radius search with a treatment reads it instead of every profile in the box: a profile
    offers 1 to 4 of the 9 treatments, so about a quarter as many entries (25 km around Paris at
    1,000,000 practitioners: 35,000 -> 9,000). PostgreSQL chooses it when the query holds its
    predicate word for word, as search._has_code writes it (tests/practitioners/
    test_search_plans.py). The treatments are reference data (treatments.reference), so the set
    of these indexes changes only with a migration.
    """
    return Index(
        f"ix_practitioners_live_location_{slug.replace('-', '_')}",
        "latitude",
        "longitude",
        postgresql_include=LOCATION_INCLUDES,
        postgresql_where=text(f"{LISTED.text} AND treatment_keys LIKE '% {slug} %'"),
    ).ddl_if(dialect="postgresql")


class Practitioner(Timestamps, db.Model):
    __tablename__ = "practitioners"

    id: Mapped[str] = id_column()
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    full_name: Mapped[str] = mapped_column(String(120))
    title: Mapped[str | None] = mapped_column(String(120))
    clinic_name: Mapped[str | None] = mapped_column(String(160))
    bio: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    website: Mapped[str | None] = mapped_column(String(500))
    address: Mapped[str | None] = mapped_column(String(250))
    city: Mapped[str] = mapped_column(String(120))
    region: Mapped[str | None] = mapped_column(String(120))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    price_from: Mapped[float | None] = mapped_column(Numeric(10, 2, asdecimal=False))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    years_experience: Mapped[int | None] = mapped_column(Integer)
    accepts_new_patients: Mapped[bool] = mapped_column(Boolean, default=True)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Search keys, folded (lower-case, accent-free) on write: see core.text.fold.
    search_text: Mapped[str] = mapped_column(Text, default="")
    name_key: Mapped[str] = mapped_column(String(120), default="")
    city_key: Mapped[str] = mapped_column(String(120), default="")
    # What suggestions match: the practitioner's and the clinic's names.
    suggest_key: Mapped[str] = mapped_column(Text, default="")

    # The gazetteer's place for `city` in `country`, matched on write (practitioners.services);
    # null when the gazetteer knows no such city there. `city` keeps the spelling given.
    place_id: Mapped[int | None] = mapped_column(ForeignKey("places.id"))
    # What `city=` compares, one key per profile (city_match_key): a search by city is then one
    # index condition, answered from the index, instead of an OR of the place and the spelling.
    city_match: Mapped[str] = mapped_column(String(130), default="")
    # The profile's treatment slugs and language codes, each between spaces (codes_key), kept
    # by the `treatments` and `languages` setters: what the treatment and language filters
    # compare, from the search indexes that include them, without a probe of the association
    # tables for every candidate (bench/README.md).
    treatment_keys: Mapped[str] = mapped_column(Text, default=" ")
    language_keys: Mapped[str] = mapped_column(Text, default=" ")

    # Last day covered by a verified certification (date.max: one that never expires); null when
    # none. `verified` compares it with today, so it flips by itself on the expiry date.
    verified_until: Mapped[date | None] = mapped_column(Date)

    # Rating summary over published testimonials, kept exact in the same transaction as every
    # testimonial change (testimonials.rating_refresh). rating_score is the Bayesian average
    # for sorting.
    rating_count: Mapped[int] = mapped_column(Integer, default=0)
    rating_sum: Mapped[int] = mapped_column(Integer, default=0)
    stars_1: Mapped[int] = mapped_column(Integer, default=0)
    stars_2: Mapped[int] = mapped_column(Integer, default=0)
    stars_3: Mapped[int] = mapped_column(Integer, default=0)
    stars_4: Mapped[int] = mapped_column(Integer, default=0)
    stars_5: Mapped[int] = mapped_column(Integer, default=0)
    rating_score: Mapped[float | None] = mapped_column(Float)
    # Beside the stars, kept by the same refresh: each aspect's sum and count (a testimonial
    # may leave an aspect out), and the worth-it answers.
    aspect_results_sum: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    aspect_results_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    aspect_communication_sum: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    aspect_communication_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    aspect_value_sum: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    aspect_value_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    worth_it_yes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    worth_it_no: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    worth_it_not_sure: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    # Set while an admin has suspended the practitioner (the reason is in the audit log only):
    # the profile stays readable with the public notice, but leaves search and suggestions and
    # takes no new clients (practitioners.services.ensure_accepting_clients).
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspension_notice: Mapped[str | None] = mapped_column(Text)

    # The first free booking slot's start (null: none within the horizon, or no schedule),
    # precomputed so that search filters and sorts on it without cutting slots
    # (booking.availability.refresh_next_available, after every change and as time passes).
    next_available: Mapped[datetime | None] = mapped_column(UTCDateTime)

    treatment_links: Mapped[list["PractitionerTreatment"]] = relationship(
        cascade="all, delete-orphan", order_by="PractitionerTreatment.treatment_slug"
    )
    language_links: Mapped[list["PractitionerLanguage"]] = relationship(
        cascade="all, delete-orphan", order_by="PractitionerLanguage.code"
    )
    # Per treatment, the last day a verified certification covers it (as verified_until).
    verified_treatment_links: Mapped[list["VerifiedTreatment"]] = relationship(
        cascade="all, delete-orphan", order_by="VerifiedTreatment.treatment_slug"
    )
    verified_certifications: Mapped[list["Certification"]] = relationship(  # noqa: F821
        primaryjoin="and_(Certification.practitioner_id == Practitioner.id, "
        "Certification.status == 'verified')",
        order_by="Certification.issued_on.desc()",
        viewonly=True,
    )

    __table_args__ = (
        # One live profile per account; a deleted one stays for the audit trail.
        Index(
            "uq_practitioners_live_user",
            "user_id",
            unique=True,
            postgresql_where=text("deleted_at IS NULL"),
            sqlite_where=text("deleted_at IS NULL"),
        ),
        # Search reads these without touching the table (index-only scans), then fetches the
        # one page of rows it returns: ordering, the radius pre-filter, city and price.
        Index(
            "ix_practitioners_live_by_rating",
            text("rating_score DESC NULLS LAST"),
            "id",
            postgresql_where=LISTED,
        ).ddl_if(dialect="postgresql"),
        Index(
            "ix_practitioners_live_location",
            "latitude",
            "longitude",
            postgresql_include=LOCATION_INCLUDES,
            postgresql_where=LISTED,
            sqlite_where=LISTED,
        ),
        *(treatment_location_index(slug) for slug in REFERENCE_TREATMENT_SLUGS),
        Index(
            "ix_practitioners_live_city_match",
            "city_match",
            "price_from",
            postgresql_include=[
                "id",
                "rating_score",
                "currency",
                "treatment_keys",
                "language_keys",
                "next_available",
            ],
            postgresql_where=LISTED,
            sqlite_where=LISTED,
        ),
        # A city search by rating walks each place's profiles in this order and stops at the
        # end of its page (search._walked_place_by_place), with the usual filters' columns at
        # hand; the index above counts the city's matches under a price. Statistics of
        # city_match and currency together (migration 0023) keep the planner from walking a
        # whole city for a currency that its profiles are not priced in.
        Index(
            "ix_practitioners_live_city_by_rating",
            "city_match",
            text("rating_score DESC NULLS LAST"),
            "id",
            postgresql_include=CITY_WALK_INCLUDES,
            postgresql_where=LISTED,
        ).ddl_if(dialect="postgresql"),
        # Facets (practitioners.facets) count live profiles by these columns: from this index
        # alone, without reading the wide rows.
        Index(
            "ix_practitioners_live_facets",
            "country",
            "place_id",
            postgresql_include=[
                "id",
                "city",
                "city_key",
                "verified_until",
                "rating_count",
                "rating_sum",
                "price_from",
                "currency",
            ],
            postgresql_where=LISTED,
            sqlite_where=LISTED,
        ),
        # sort=soonest walks it; available_within_days reads a range of it, and filters by
        # city, treatment and language from what it includes.
        Index(
            "ix_practitioners_listed_next_available",
            "next_available",
            "id",
            postgresql_include=["city_match", "treatment_keys", "language_keys"],
            postgresql_where=LISTED,
            sqlite_where=LISTED,
        ),
        Index("ix_practitioners_country", "country"),
        Index("ix_practitioners_verified_until", "verified_until"),
        Index("ix_practitioners_price_from", "price_from"),
        Index("ix_practitioners_created_at", "created_at"),
        Index("ix_practitioners_updated_at", "updated_at"),
        Index("ix_practitioners_name_key", "name_key", "id"),
        # Substring search (LIKE '%term%') on PostgreSQL, through pg_trgm.
        trigram_index("ix_practitioners_search_text_trgm", "search_text"),
        # Suggestions: word prefixes and typos, on PostgreSQL through pg_trgm.
        listed_trigram_index("ix_practitioners_suggest_key_trgm", "suggest_key"),
        # A search for one common word walks the rating order for each kind of match that
        # relevance ranks (search._walked); where few profiles have that kind, these
        # find them instead: the word in the name, the word being the city.
        listed_trigram_index("ix_practitioners_live_name_key_trgm", "name_key"),
        Index(
            "ix_practitioners_live_city_key_by_rating",
            "city_key",
            text("rating_score DESC NULLS LAST"),
            "id",
            postgresql_where=LISTED,
        ).ddl_if(dialect="postgresql"),
        CheckConstraint("price_from >= 0", name="price_not_negative"),
        CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude_range"),
        CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude_range"),
        CheckConstraint("(latitude IS NULL) = (longitude IS NULL)", name="coordinates_together"),
        CheckConstraint("rating_count >= 0", name="rating_count_not_negative"),
    )

    @property
    def treatments(self) -> list[str]:
        return [link.treatment_slug for link in self.treatment_links]

    @treatments.setter
    def treatments(self, slugs: list[str]) -> None:
        """Treatments kept keep their price; a treatment dropped takes its price along."""
        kept = {link.treatment_slug: link for link in self.treatment_links}
        self.treatment_links = [
            kept.get(slug) or PractitionerTreatment(treatment_slug=slug)
            for slug in dict.fromkeys(slugs)
        ]
        self.treatment_keys = codes_key(slugs)

    def offers(self, treatment: str) -> bool:
        """Whether the profile lists `treatment`, from the row's own key: a booking or a request
        loads no links to check it."""
        return f" {treatment} " in self.treatment_keys

    @property
    def treatment_prices(self) -> dict[str, float]:
        return {
            link.treatment_slug: link.price
            for link in self.treatment_links
            if link.price is not None
        }

    @treatment_prices.setter
    def treatment_prices(self, prices: dict[str, float]) -> None:
        """Every treatment's price from `prices` (none when left out); the service checks that
        each slug priced is one of the treatments."""
        for link in self.treatment_links:
            link.price = prices.get(link.treatment_slug)

    @property
    def languages(self) -> list[str]:
        # From the row's own key (sorted, as the links are): a profile read loads no links.
        return (self.language_keys or "").split()  # unset until a new profile is flushed

    @languages.setter
    def languages(self, codes: list[str]) -> None:
        self.language_links = [PractitionerLanguage(code=c) for c in dict.fromkeys(codes)]
        self.language_keys = codes_key(codes)

    @property
    def verified(self) -> bool:
        return verified_on(self.verified_until, today())

    @property
    def verified_treatments(self) -> list[str]:
        return [
            link.treatment_slug
            for link in self.verified_treatment_links
            if link.verified_until >= today()
        ]

    @property
    def rating(self) -> dict:
        count = self.rating_count
        return {
            "average": average(self.rating_sum, count),
            "count": count,
            "distribution": {str(s): getattr(self, f"stars_{s}") for s in STAR_VALUES},
            "aspects": {
                aspect: average(
                    getattr(self, f"aspect_{aspect}_sum"), getattr(self, f"aspect_{aspect}_count")
                )
                for aspect in ASPECTS
            },
            "worth_it": {answer: getattr(self, f"worth_it_{answer}") for answer in WorthIt},
        }

    @property
    def suspension(self) -> dict | None:
        if self.suspended_at is None:
            return None
        return {"since": self.suspended_at, "notice": self.suspension_notice}

    @property
    def review_integrity(self) -> dict:
        from directory.testimonials.integrity import review_integrity  # it reads testimonials

        return review_integrity(self.id)

    def refresh_search_keys(self) -> None:
        """After a change of names, city or place (the place first: see city_match_key)."""
        keys = search_keys(self.full_name, self.clinic_name, self.city, self.bio)
        for column, value in keys.items():
            setattr(self, column, value)
        self.city_match = city_match_key(self.place_id, self.city_key)


class LiveProfileCount(db.Model):
    """How many profiles are listed (live and not suspended): the total of an unfiltered
    search, which would otherwise count every row on every page view. One row, kept exact by
    the services that create, delete, suspend and reinstate profiles, in their own
    transactions."""

    __tablename__ = "live_profile_count"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)


class SearchWord(db.Model):
    """How many listed profiles have each word in their search text (split on spaces), so that
    a search for one word knows how many profiles it matches without counting them
    (search._walked_total_told_by_the_words): a word of `q` has no space, so it lies inside one word
    of the text, and every profile with a word that holds it matches. A common word says the
    search is past the cap of exact totals; the only word that holds `q`'s says exactly.

    PostgreSQL keeps it, in the transaction of every change, by triggers on practitioners
    (migrations 0025, 0027, 0028), whichever statement makes the change; SQLite leaves it empty and
    its searches count. Words longer than the triggers' limit are counted together, as the
    empty word (OVER_LONG_WORDS), which holds no word of `q`: where it has profiles, no count
    is exact. A word of `q` that no word holds matches no profile (search._text), so the words
    must be complete: a load that bypasses the triggers (a data-only restore, triggers
    disabled) ends with `SELECT recount_search_words()`, as the migrations do."""

    __tablename__ = "search_words"

    word: Mapped[str] = mapped_column(Text, primary_key=True)
    profiles: Mapped[int] = mapped_column(Integer)
    # Of them, how many have it in their name (name_key, whose words are words of the text):
    # a walk through the names runs only where one may have `q`'s word (migration 0028).
    names: Mapped[int] = mapped_column(Integer, server_default="0")

    __table_args__ = (
        # The few words in more profiles than the cap, without reading the others.
        Index("ix_search_words_profiles", "profiles", postgresql_include=["word"]).ddl_if(
            dialect="postgresql"
        ),
        # The words that hold `q`'s, among every word of every profile.
        trigram_index("ix_search_words_word_trgm", "word"),
    )


# The word under which the triggers count the profiles with words too long to count (0027).
OVER_LONG_WORDS = ""


def search_keys(full_name: str, clinic_name: str | None, city: str, bio: str | None) -> dict:
    """The folded search columns of a profile (see core.text.fold)."""
    return {
        "name_key": fold(full_name),
        "city_key": fold(city),
        "suggest_key": " ".join(fold(part) for part in (full_name, clinic_name) if part),
        "search_text": " ".join(fold(part) for part in (full_name, clinic_name, city, bio) if part),
    }


def verified_on(verified_until: date | None, day: date) -> bool:
    """Whether a profile whose certifications cover it until `verified_until` is verified on
    `day` (search.is_verified says it in SQL)."""
    return verified_until is not None and verified_until >= day


def codes_key(codes: list[str]) -> str:
    """Codes sorted, each between spaces (` a b `; ` ` for none): `% a %` finds one."""
    return "".join(f" {code}" for code in sorted(set(codes))) + " "


def city_match_key(place_id: int | None, city_key: str) -> str:
    """The place's id; for a city the gazetteer does not know, `=` and its folded spelling.

    A placed profile's city is one of its place's names (practitioners.services matches it by
    name), so `city=name` finds exactly the keys of the places that answer to the name plus
    `=name`: the profiles of those places, and the unplaced ones spelt so."""
    return f"={city_key}" if place_id is None else str(place_id)


class PractitionerTreatment(db.Model):
    __tablename__ = "practitioner_treatments"

    practitioner_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("practitioners.id", ondelete="CASCADE"), primary_key=True
    )
    treatment_slug: Mapped[str] = mapped_column(ForeignKey("treatments.slug"), primary_key=True)
    # In the profile's currency; null: the profile's price_from applies.
    price: Mapped[float | None] = mapped_column(Numeric(10, 2, asdecimal=False))

    __table_args__ = (
        Index("ix_practitioner_treatments_slug", "treatment_slug", "practitioner_id"),
        CheckConstraint("price >= 0", name="price_not_negative"),
    )


class PractitionerLanguage(db.Model):
    __tablename__ = "practitioner_languages"

    practitioner_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("practitioners.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(2), primary_key=True)

    __table_args__ = (Index("ix_practitioner_languages_code", "code", "practitioner_id"),)


class VerifiedTreatment(db.Model):
    """A treatment a verified certification covers, until the last day one covers it
    (date.max: never expires); kept by credentials.services.refresh_verified_until."""

    __tablename__ = "verified_treatments"

    practitioner_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("practitioners.id", ondelete="CASCADE"), primary_key=True
    )
    treatment_slug: Mapped[str] = mapped_column(ForeignKey("treatments.slug"), primary_key=True)
    verified_until: Mapped[date] = mapped_column(Date)

    __table_args__ = (
        Index("ix_verified_treatments_slug", "treatment_slug", "verified_until", "practitioner_id"),
    )
