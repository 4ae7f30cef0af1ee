from sqlalchemy import Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from directory.core.db import trigram_index
from directory.extensions import db


class Place(db.Model):
    """A city of the gazetteer (directory.places.gazetteer), keyed by its GeoNames id."""

    __tablename__ = "places"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    population: Mapped[int] = mapped_column(Integer)


class PlaceName(db.Model):
    """One name a place answers to, folded (core.text.fold) into `key`: its own name and the
    alternate names the gazetteer keeps. The place's country and rank are copied here so that
    resolving a name reads this table alone."""

    __tablename__ = "place_names"

    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))  # the spelling shown for this key
    country: Mapped[str] = mapped_column(String(2))
    # Who wins an ambiguous name: the population of the place, a hundredth of it when the
    # name is only an alternate (gazetteer.name_rank).
    rank: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        # Equality and prefix (LIKE 'mun%') look-ups; text_pattern_ops makes the prefix
        # indexable on PostgreSQL whatever the database's collation.
        Index(
            "ix_place_names_key",
            "key",
            "rank",
            postgresql_ops={"key": "text_pattern_ops"},
        ),
        # Typos (pg_trgm similarity) on PostgreSQL.
        trigram_index("ix_place_names_key_trgm", "key"),
    )
