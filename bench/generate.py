"""The reference data set, generated straight into PostgreSQL with COPY, deterministic from a seed
(but next_available, which moves with the clock).

At --scale N: N practitioners (1% soft-deleted), their N accounts and 2N patients, 1.5N
certifications, 10N testimonials (3N from a million practitioners on; each backed by a
completed consultation or a used invitation, as the API requires), 2N gallery items and a
weekly schedule for most practitioners (bench.availability).
Reviews and certifications are spread unevenly, as in life: many profiles have none, a few
have hundreds.

The derived columns are computed with the application's own functions (search keys, rating
summary and score, public author name, the gazetteer's place of each city), and
verified_until by the rule of credentials.services.refresh_verified_until; tests/bench checks
the keys, summaries and dates against the API's code. Half the treatments of a profile have a
price of their own.

    python -m bench.generate --database-url postgresql://postgres@127.0.0.1/directory_bench \
        --scale 10000
"""

import argparse
import base64
import io
import math
import random
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate

import psycopg2
from argon2 import PasswordHasher, profiles

from bench import availability
from bench import vocabulary as words
from bench.copy_text import copy_line
from directory.config import Config
from directory.core.text import public_name
from directory.credentials.models import number_key
from directory.credentials.services import NEVER_EXPIRES
from directory.extensions import db
from directory.places.gazetteer import place_named
from directory.practitioners.models import city_match_key, codes_key, search_keys
from directory.practitioners.rating_summary import rating_summary

# Every date is relative to this day, not to the clock: the same seed gives the same rows
# (next_available aside: generate).
REFERENCE_DAY = date(2026, 11, 1)
REFERENCE_TIME = datetime(2026, 11, 1, 12, tzinfo=UTC)
PASSWORD = "bench-password-2026"
COPY_BATCH = 50_000

PER_PRACTITIONER = {"patients": 2, "certifications": 1.5, "testimonials": 10, "gallery": 2}
# QUALITY.md's third data set: a million practitioners with three million testimonials.
SPARSER_AT = {1_000_000: {"testimonials": 3}}


def per_practitioner(scale: int) -> dict[str, float]:
    """How many of each kind of row a practitioner has on average, at this scale."""
    sparser = {
        kind: ratio
        for at, kinds in SPARSER_AT.items()
        if scale >= at
        for kind, ratio in kinds.items()
    }
    return PER_PRACTITIONER | sparser


@dataclass
class Dataset:
    """Row counts, and how long the whole generation took (load, schedules, indexes, VACUUM)."""

    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


class CopyStream:
    """Rows for one table, sent with COPY in batches; the first row names the columns."""

    def __init__(self, sender: "Sender", table: str):
        self.sender, self.table = sender, table
        self.columns: list[str] = []
        self.lines: list[str] = []
        self.count = 0

    def add(self, row: dict) -> None:
        if not self.columns:
            self.columns = list(row)
        elif len(row) != len(self.columns):
            raise ValueError(f"{self.table}: expected the columns {self.columns}, got {list(row)}")
        self.lines.append(copy_line(row.values()))
        if len(self.lines) >= COPY_BATCH:
            self.flush()

    def flush(self) -> None:
        if self.lines:
            data = io.StringIO("\n".join(self.lines) + "\n")
            columns = ", ".join(self.columns)
            self.sender.send(f"COPY {self.table} ({columns}) FROM STDIN", data)
            self.count += len(self.lines)
            self.lines = []


class Sender:
    """Sends each batch from one thread, one batch at a time and in order, while the generator
    makes the next one: the load takes about as long as the slower of the two (Python, the
    server) rather than their sum. Whatever ends the load, the batch in flight is waited for
    before the connection is used again (rolled back, closed)."""

    def __init__(self, cursor):
        self.cursor = cursor
        self.thread = ThreadPoolExecutor(max_workers=1)
        self.sending: Future | None = None

    def send(self, statement: str, data: io.StringIO) -> None:
        self.wait()
        self.sending = self.thread.submit(self.cursor.copy_expert, statement, data)

    def wait(self) -> None:
        """Until the last batch is in; raises what its COPY raised."""
        if self.sending is not None:
            sending, self.sending = self.sending, None
            sending.result()

    def __enter__(self) -> "Sender":
        return self

    def __exit__(self, kind, error, traceback) -> None:
        try:
            self.wait()
        except Exception:
            if error is None:
                raise  # otherwise the load's own error is the one to see
        finally:
            self.thread.shutdown()


class Generator:
    def __init__(self, cursor, scale: int, seed: int, password_hash: str, places: dict):
        self.scale, self.password_hash = scale, password_hash
        self.places = places  # {(city, country): the gazetteer's place id}
        self.rng = random.Random(seed)
        self.density = per_practitioner(scale)
        cursor.execute("SELECT slug FROM treatments ORDER BY slug")
        self.treatments = [slug for (slug,) in cursor.fetchall()]
        self.sender = Sender(cursor)
        self.streams: dict[str, CopyStream] = {}
        self.credentials = 0  # numbered in order, so that no two profiles share one

    def write(self, table: str, **row) -> None:
        if table not in self.streams:
            self.streams[table] = CopyStream(self.sender, table)
        self.streams[table].add(row)

    def new_id(self) -> str:
        """Shaped like core.db.new_id (22 URL-safe characters), from the seeded generator."""
        return base64.urlsafe_b64encode(self.rng.randbytes(16)).rstrip(b"=").decode()

    def moment(self, after: datetime, before: datetime = REFERENCE_TIME) -> datetime:
        seconds = max((before - after).total_seconds(), 0)
        return after + timedelta(seconds=int(self.rng.uniform(0, seconds)))

    def run(self) -> dict[str, int]:
        self.admin_id = self.user("admin@bench.example.com", "Bench Admin", "admin")
        self.patients = [self.patient(number) for number in range(self.per("patients"))]
        certifications = self.allocate(self.per("certifications"), sigma=0.6)
        testimonials = self.allocate(self.per("testimonials"), sigma=1.2)
        gallery = self.allocate(self.per("gallery"), sigma=1.0)
        with self.sender:
            for number in range(self.scale):
                self.practitioner(
                    number, certifications[number], testimonials[number], gallery[number]
                )
            for stream in self.streams.values():
                stream.flush()
        return {table: stream.count for table, stream in self.streams.items()}

    def per(self, kind: str) -> int:
        return int(self.scale * self.density[kind])

    def allocate(self, total: int, sigma: float) -> list[int]:
        """Split `total` over the practitioners with log-normal weights: a long tail."""
        weights = [self.rng.lognormvariate(0, sigma) for _ in range(self.scale)]
        unit = total / sum(weights)
        counts = [int(weight * unit) for weight in weights]
        for lucky in self.rng.sample(range(self.scale), total - sum(counts)):
            counts[lucky] += 1
        return counts

    def user(self, email: str, full_name: str, role: str, created_at=REFERENCE_TIME) -> str:
        user_id = self.new_id()
        self.write(
            "users",
            id=user_id,
            email=email,
            password_hash=self.password_hash,
            full_name=full_name,
            role=role,
            created_at=created_at,
            updated_at=created_at,
        )
        return user_id

    def patient(self, number: int) -> tuple[str, str, str]:
        full_name = f"{self.rng.choice(words.FIRST_NAMES)} {self.rng.choice(words.LAST_NAMES)}"
        email = f"patient{number}@bench.example.com"
        joined = REFERENCE_TIME - timedelta(days=self.rng.uniform(0, 5 * 365))
        return self.user(email, full_name, "patient", joined), email, public_name(full_name)

    def practitioner(self, number: int, certifications: int, testimonials: int, gallery: int):
        rng = self.rng
        city, region, country, lat, lng, language, currency, _ = rng.choices(
            words.CITIES, cum_weights=_CITY_WEIGHTS
        )[0]
        full_name = f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}"
        title = rng.choice(words.TITLES)
        clinic = None
        if rng.random() < 0.8:
            clinic = f"{rng.choice(words.CLINIC_WORDS)} {rng.choice(words.CLINIC_KINDS)}"
        treatments = rng.sample(self.treatments, rng.randint(1, 4))
        price_from = None if rng.random() < 0.1 else rng.randrange(60, 460, 10)
        # Half the treatments have a price of their own, at or above price_from.
        prices = {
            slug: (price_from or 150) + rng.randrange(0, 200, 10)
            for slug in treatments
            if rng.random() < 0.5
        }
        years = rng.randint(1, 30)
        bio = words.BIO.format(
            title=title or "Physician",
            city=city,
            years=years,
            focus=" and ".join(t.replace("-", " ") for t in treatments),
        )
        languages = [language] + [
            rng.choice(words.SECOND_LANGUAGES) for _ in range(rng.randint(0, 2))
        ]
        # Spread over the metro area: about 10 km around the centre, some much further.
        latitude = lat + rng.gauss(0, 0.09)
        longitude = lng + rng.gauss(0, 0.09 / math.cos(math.radians(lat)))
        created = REFERENCE_TIME - timedelta(days=rng.uniform(30, 6 * 365))
        user_id = self.user(
            f"practitioner{number}@bench.example.com", full_name, "practitioner", created
        )
        practitioner_id = self.new_id()

        verified_until = self.certifications(practitioner_id, country, certifications, created)
        stars = self.testimonials(practitioner_id, testimonials, treatments, created)
        self.gallery(practitioner_id, gallery, treatments, created)
        for slug in sorted(treatments):
            self.write(
                "practitioner_treatments",
                practitioner_id=practitioner_id,
                treatment_slug=slug,
                price=prices.get(slug),
            )
        for code in sorted(set(languages)):
            self.write("practitioner_languages", practitioner_id=practitioner_id, code=code)

        keys = search_keys(full_name, clinic, city, bio)
        rating = rating_summary(stars)
        row = {
            "id": practitioner_id,
            "user_id": user_id,
            "full_name": full_name,
            "title": title,
            "clinic_name": clinic,
            "bio": bio,
            "email": f"contact{number}@clinic.bench.example.com",
            "phone": f"+33 1 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            "website": None if clinic is None else f"https://clinic{number}.bench.example.com",
            "address": f"{rng.randint(1, 200)} Avenue {rng.choice(words.LAST_NAMES)}",
            "city": city,
            "region": region,
            "postal_code": f"{rng.randint(1000, 99999)}",
            "country": country,
            "latitude": round(latitude, 6),
            "longitude": round(longitude, 6),
            "price_from": price_from,
            "currency": currency,
            "place_id": self.places[city, country],
            "city_match": city_match_key(self.places[city, country], keys["city_key"]),
            "treatment_keys": codes_key(treatments),
            "language_keys": codes_key(languages),
            "years_experience": years,
            "accepts_new_patients": rng.random() < 0.85,
            "deleted_at": self.moment(created) if rng.random() < 0.01 else None,
            "verified_until": verified_until,
            "created_at": created,
            "updated_at": self.moment(created),
            **keys,
            **rating,
        }
        self.write("practitioners", **row)

    def certifications(
        self, practitioner_id: str, country: str, count: int, created: datetime
    ) -> date | None:
        """Write them, with the numbers verified ones claim; return the last day a verified one
        covers (refresh_verified_until). Numbers are unique: one credential, one profile."""
        rng, covered = self.rng, []
        for _ in range(count):
            name, issuer = rng.choice(words.ISSUERS)
            issued = REFERENCE_DAY - timedelta(days=rng.randint(30, 3000))
            expires = (
                None if rng.random() < 0.3 else issued + timedelta(days=rng.randint(365, 1825))
            )
            status = rng.choices(["verified", "pending", "rejected"], weights=[65, 20, 15])[0]
            submitted = self.moment(created)
            reviewed = None if status == "pending" else self.moment(submitted)
            self.credentials += 1
            number = f"CRT-{self.credentials:07d}"
            if status == "verified":
                covered.append(expires or NEVER_EXPIRES)
                self.write(
                    "verified_credentials",
                    kind="certification",
                    country=country,
                    number_key=number_key(number),
                    practitioner_id=practitioner_id,
                )
            self.write(
                "certifications",
                id=self.new_id(),
                practitioner_id=practitioner_id,
                name=name,
                issuing_body=issuer,
                credential_number=number,
                country=country,
                number_key=number_key(number),
                last_checked_on=reviewed.date() if status == "verified" else None,
                issued_on=issued,
                expires_on=expires,
                status=status,
                document_key=f"private/documents/{self.new_id()}.pdf",
                document_type="application/pdf",
                reviewed_at=reviewed,
                reviewed_by=None if reviewed is None else self.admin_id,
                rejection_reason="The document is not legible." if status == "rejected" else None,
                created_at=submitted,
                updated_at=reviewed or submitted,
            )
        return max(covered, default=None)

    def testimonials(
        self, practitioner_id: str, count: int, treatments: list[str], created: datetime
    ) -> dict[int, int]:
        """Write them; return {stars: published count}, the input of the rating summary."""
        rng, stars = self.rng, {}
        quality = rng.uniform(2.8, 4.9)
        for _ in range(count):
            rating = min(5, max(1, round(rng.gauss(quality, 0.9))))
            author_id, email, author_name = rng.choice(self.patients)
            written = self.moment(created)
            treatment = rng.choice(treatments) if rng.random() < 0.9 else None
            status = "hidden" if rng.random() < 0.02 else "published"
            if status == "published":
                stars[rating] = stars.get(rating, 0) + 1
            consultation_id = invitation_id = None
            if rng.random() < 0.6:
                consultation_id = self.new_id()
                booked = written - timedelta(days=rng.randint(7, 120))
                self.write(
                    "consultations",
                    id=consultation_id,
                    practitioner_id=practitioner_id,
                    patient_id=author_id,
                    treatment=treatment,
                    status="completed",
                    created_at=booked,
                    updated_at=written - timedelta(days=1),
                )
            else:
                invitation_id = self.new_id()
                sent = written - timedelta(days=rng.randint(1, 25))
                self.write(
                    "invitations",
                    id=invitation_id,
                    practitioner_id=practitioner_id,
                    email=email,
                    code=self.new_id() + self.new_id(),
                    expires_at=sent + timedelta(days=30),
                    used_at=written,
                    created_at=sent,
                )
            title = rng.choice(words.REVIEW_TITLES[rating])
            responded = rng.random() < 0.3
            self.write(
                "testimonials",
                id=self.new_id(),
                practitioner_id=practitioner_id,
                author_id=author_id,
                author_name=author_name,
                rating=rating,
                title=title,
                body=words.REVIEW_BODY.format(
                    title=title,
                    sessions=rng.randint(1, 6),
                    treatment=(treatment or "my skin").replace("-", " "),
                ),
                treatment=treatment,
                verification="consultation" if consultation_id else "invitation",
                consultation_id=consultation_id,
                invitation_id=invitation_id,
                status=status,
                hidden_reason="Off-topic." if status == "hidden" else None,
                response_body=words.RESPONSE if responded else None,
                response_at=self.moment(written) if responded else None,
                open_reports=0,
                created_at=written,
                updated_at=written,
            )
        return stars

    def gallery(self, practitioner_id: str, count: int, treatments: list[str], created):
        for _ in range(count):
            added = self.moment(created)
            keys = [f"public/gallery/{self.new_id()}.jpg" for _ in range(4)]
            self.write(
                "gallery_items",
                id=self.new_id(),
                practitioner_id=practitioner_id,
                treatment=self.rng.choice(treatments),
                caption="Before and after the protocol.",
                sessions=self.rng.randint(1, 8),
                weeks_elapsed=self.rng.randint(2, 26),
                patient_email=None,
                consent_status="granted",
                consent_token_hash=None,
                consent_requested_at=added,
                consent_granted_at=added,
                before_key=keys[0],
                before_thumbnail_key=keys[1],
                before_width=1200,
                before_height=900,
                after_key=keys[2],
                after_thumbnail_key=keys[3],
                after_width=1200,
                after_height=900,
                created_at=added,
            )


_CITY_WEIGHTS = list(accumulate(city[-1] for city in words.CITIES))


def generate(
    database_url: str, scale: int, seed: int = 2026, now: datetime | None = None
) -> Dataset:
    """Fill an empty, migrated database, schedules (bench.availability) included, with
    next_available as of `now` (the clock's by default: the one value that is not from the
    seed).

    The rows go in by COPY while the tables they fill have no secondary index, and those
    indexes are built again afterwards from the catalog's own definitions: at 1,000,000
    practitioners, updating the 27 indexes of practitioners (five of them trigram indexes) row
    by row, then again for next_available, took longer than building them (bench/README.md,
    ninth pass). Triggers are off during the load: foreign keys' (the generator writes
    consistent rows) and those that count the search words (migration 0025: counted once
    after it); VACUUM leaves it as autovacuum keeps a live database: statistics gathered,
    visibility map set (which index-only scans rely on)."""
    started = time.perf_counter()
    places = _places(database_url)
    connection = psycopg2.connect(database_url)
    set_aside: list[tuple[str, str]] = []
    try:
        # One transaction: where the load fails, the indexes come back with the empty tables.
        with connection, connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM practitioners")
            if cursor.fetchone()[0]:
                raise SystemExit("The database already holds practitioners; give an empty one.")
            set_aside = _set_indexes_aside(cursor)
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("SET LOCAL synchronous_commit = off")
            generator = Generator(cursor, scale, seed, _password_hash(seed), places)
            counts = generator.run()
            cursor.execute(
                "UPDATE live_profile_count SET value = "
                "(SELECT count(*) FROM practitioners WHERE deleted_at IS NULL)"
            )
            cursor.execute("SELECT recount_search_words()")  # its triggers were off too
        counts["availabilities"] = availability.add_schedules(database_url, seed)
        availability.refresh_next_available(database_url, now)
    finally:
        connection.close()
        _build_again(database_url, set_aside)  # also after a failure past the load
    with autocommitted(database_url) as cursor:
        cursor.execute("VACUUM (FREEZE, ANALYZE)")
    return Dataset(counts, time.perf_counter() - started)


def _set_indexes_aside(cursor) -> list[tuple[str, str]]:
    """Drop the indexes of the empty tables that no constraint owns (primary keys and unique
    constraints stay, for the loader's own look-ups) and return each one's name and the
    statement that creates it again. The reference tables, already filled, keep theirs."""
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, t.oid::regclass::text, "
        "pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
        "WHERE t.relnamespace = 'public'::regnamespace "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
        "ORDER BY 1"
    )
    set_aside = []
    for name, table, definition in cursor.fetchall():
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")  # regclass text: quoted
        if not cursor.fetchone()[0]:
            cursor.execute(f"DROP INDEX {name}")
            set_aside.append((name, definition))
    return set_aside


def _build_again(database_url: str, set_aside: list[tuple[str, str]]) -> None:
    """Create the indexes set aside that do not exist (none, where the load was undone)."""
    with autocommitted(database_url) as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for name, definition in set_aside:
            cursor.execute("SELECT to_regclass(%s)", (name,))
            if cursor.fetchone()[0] is None:
                cursor.execute(definition)


@contextmanager
def autocommitted(database_url: str) -> Iterator:
    """A cursor on a connection of its own that commits each statement (as VACUUM needs)."""
    connection = psycopg2.connect(database_url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            yield cursor
    finally:
        connection.close()


def _places(database_url: str) -> dict[tuple[str, str], int]:
    """The place of each city of the vocabulary, as the profile service matches it on write."""
    from bench.sql import application

    app = application(database_url)
    with app.app_context():
        places = {
            (city, country): place_named(city, country).id for city, _, country, *_ in words.CITIES
        }
        db.engine.dispose()
    return places


def _password_hash(seed: int) -> str:
    """One hash for every account (hashing a million passwords would take hours), salted from
    the seed so that the whole data set is reproducible."""
    hasher = PasswordHasher.from_parameters(getattr(profiles, Config.PASSWORD_HASH_PROFILE))
    return hasher.hash(PASSWORD, salt=random.Random(seed).randbytes(16))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="an empty, migrated database")
    parser.add_argument("--scale", type=int, default=10_000, help="number of practitioners")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    dataset = generate(args.database_url, args.scale, args.seed)
    for table, count in dataset.counts.items():
        print(f"{table:>24} {count:>10,}")
    print(f"loaded in {dataset.seconds:.1f} s")


if __name__ == "__main__":
    main()
