"""The reference data set, generated straight into PostgreSQL with COPY, deterministic from a seed
(but next_available, which moves with the clock).

At --scale N: N practitioners (1% soft-deleted), their N accounts and 2N patients, 1.5N
certifications, 10N testimonials (3N from a million practitioners on; each backed by a
completed consultation or a used invitation, as the API requires), 2N gallery items and a
weekly schedule for most practitioners (bench.availability).
Reviews and certifications are spread unevenly, as in life: many profiles have none, a few
have hundreds. Practitioners are made in chunks of CHUNK by one process per CPU, each chunk
from a random generator of its own, so the rows depend on the seed (and CHUNK), not on the
processes (load).

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
import gc
import io
import math
import multiprocessing
import os
import random
import time
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate, islice

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
GENERATION = 2  # one more whenever the same seed gives other rows (bench.__main__)
CHUNK = 5_000  # practitioners a worker process makes at a time
BUILDERS = 4  # index builds at a time, each with its maintenance_work_mem (_build)

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


@dataclass(frozen=True)
class Batch:
    """Rows ready for one COPY: they cross from a worker process as one string."""

    table: str
    columns: list[str]
    count: int
    text: str  # one line per row

    @property
    def statement(self) -> str:
        return f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN"


class Rows:
    """Rows for one table in COPY's text format; the first row names the columns."""

    def __init__(self, table: str):
        self.table = table
        self.columns: list[str] = []
        self.lines: list[str] = []

    def add(self, row: dict) -> None:
        if not self.columns:
            self.columns = list(row)
        elif len(row) != len(self.columns):
            raise ValueError(f"{self.table}: expected the columns {self.columns}, got {list(row)}")
        self.lines.append(copy_line(row.values()))

    def batches(self) -> Iterator[Batch]:
        for first in range(0, len(self.lines), COPY_BATCH):
            lines = self.lines[first : first + COPY_BATCH]
            yield Batch(self.table, self.columns, len(lines), "\n".join(lines) + "\n")


class Sender:
    """Sends each batch from one thread, one batch at a time and in order, while the
    generator makes the next one: the load takes about as long as the slower of the two
    (Python, the server) rather than their sum. Whatever ends the load, the batch in flight is
    waited for before the connection is used again (rolled back, closed)."""

    def __init__(self, cursor):
        self.cursor = cursor
        self.thread = ThreadPoolExecutor(max_workers=1)
        self.sending: Future | None = None
        self.counts: Counter[str] = Counter()

    def send(self, batch: Batch) -> None:
        self.wait()
        data = io.StringIO(batch.text)
        self.sending = self.thread.submit(self.cursor.copy_expert, batch.statement, data)
        self.counts[batch.table] += batch.count

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


@dataclass(frozen=True)
class Directory:
    """What every chunk of practitioners reads, drawn once by the loading process before the
    workers fork: the accounts that write testimonials, and how many certifications,
    testimonials and gallery items each practitioner has (a long tail: allocate)."""

    seed: int
    now: datetime  # next_available is as of this moment
    password_hash: str
    places: dict[tuple[str, str], int]  # {(city, country): the gazetteer's place id}
    treatments: list[str]
    admin_id: str
    patients: list[tuple[str, str, str]]  # (user id, email, public name)
    certifications: list[int]
    testimonials: list[int]
    gallery: list[int]
    # Credentials are numbered in practitioner order, so that no two profiles share one.
    credentials_before: list[int]


def load(
    cursor, scale: int, seed: int, now: datetime, password_hash: str, places: dict
) -> dict[str, int]:
    """Every row, through `cursor`. Practitioners are made in chunks by one worker process per
    CPU (the generator's Python was the floor of the load: bench/README.md, ninth pass); this
    process sends their rows in order, with COPY, on its one connection, so that the load
    stays one transaction."""
    accounts = Rows("users")
    directory = _draw_directory(cursor, scale, seed, now, password_hash, places, accounts)
    chunks = [(first, min(first + CHUNK, scale)) for first in range(0, scale, CHUNK)]
    workers = processes()
    gc.freeze()  # the collector leaves the directory's pages shared with the workers
    # The workers fork at the first submit, before the sending thread starts; they only compute.
    pool = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_adopt,
        initargs=(directory,),
    )
    try:
        with Sender(cursor) as sender:
            made = _in_order(pool, _chunk, chunks, ahead=workers + 2)
            for batch in accounts.batches():
                sender.send(batch)
            accounts.lines.clear()
            for batches in made:
                for batch in batches:
                    sender.send(batch)
    finally:
        pool.shutdown(cancel_futures=True)  # a worker that died raised BrokenProcessPool
        gc.unfreeze()
    return dict(sender.counts)


def processes() -> int:
    """The CPUs this process may run on (a container's share, not the host's count)."""
    return len(os.sched_getaffinity(0))


def _draw_directory(
    cursor, scale: int, seed: int, now: datetime, password_hash: str, places: dict, accounts: Rows
) -> Directory:
    rng = random.Random(seed)
    density = per_practitioner(scale)

    def per(kind: str) -> int:
        return int(scale * density[kind])

    def account(email: str, full_name: str, role: str, created_at: datetime) -> str:
        user_id = new_id(rng)
        accounts.add(user_row(user_id, email, full_name, role, password_hash, created_at))
        return user_id

    admin_id = account("admin@bench.example.com", "Bench Admin", "admin", REFERENCE_TIME)
    patients = []
    for number in range(per("patients")):
        full_name = f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}"
        email = f"patient{number}@bench.example.com"
        joined = REFERENCE_TIME - timedelta(days=rng.uniform(0, 5 * 365))
        patients.append(
            (account(email, full_name, "patient", joined), email, public_name(full_name))
        )
    cursor.execute("SELECT slug FROM treatments ORDER BY slug")
    certifications = allocate(rng, scale, per("certifications"), sigma=0.6)
    return Directory(
        seed=seed,
        now=now,
        password_hash=password_hash,
        places=places,
        treatments=[slug for (slug,) in cursor.fetchall()],
        admin_id=admin_id,
        patients=patients,
        certifications=certifications,
        testimonials=allocate(rng, scale, per("testimonials"), sigma=1.2),
        gallery=allocate(rng, scale, per("gallery"), sigma=1.0),
        credentials_before=[0, *accumulate(certifications)],
    )


def allocate(rng: random.Random, scale: int, total: int, sigma: float) -> list[int]:
    """Split `total` over the practitioners with log-normal weights: a long tail."""
    weights = [rng.lognormvariate(0, sigma) for _ in range(scale)]
    unit = total / sum(weights)
    counts = [int(weight * unit) for weight in weights]
    for lucky in rng.sample(range(scale), total - sum(counts)):
        counts[lucky] += 1
    return counts


def new_id(rng: random.Random) -> str:
    """Shaped like core.db.new_id (22 URL-safe characters), from the seeded generator."""
    return base64.urlsafe_b64encode(rng.randbytes(16)).rstrip(b"=").decode()


def user_row(
    user_id: str, email: str, full_name: str, role: str, password_hash: str, created_at
) -> dict:
    return {
        "id": user_id,
        "email": email,
        "password_hash": password_hash,
        "full_name": full_name,
        "role": role,
        "created_at": created_at,
        "updated_at": created_at,
    }


_directory: Directory | None = None  # in a worker process: what _chunk reads


def _adopt(directory: Directory) -> None:
    global _directory
    _directory = directory


def _chunk(first: int, last: int) -> list[Batch]:
    """In a worker: the rows of practitioners first..last-1."""
    assert _directory is not None
    return Generator(_directory, first).run(last)


def _in_order(pool: Executor, function, tasks: list[tuple], ahead: int) -> Iterator:
    """function(*task) of each task, computed by the pool, in the tasks' order. The first
    `ahead` are submitted at once (they are computed while the caller sends something else),
    then one more as each is taken: the results waiting for the server stay a few chunks."""
    waiting = iter(tasks)
    pending = deque(pool.submit(function, *task) for task in islice(waiting, ahead))

    def results() -> Iterator:
        while pending:
            result = pending.popleft().result()
            pending.extend(pool.submit(function, *task) for task in islice(waiting, 1))
            yield result

    return results()


class Generator:
    """The rows of a chunk of practitioners, from a random generator of the chunk's own: the
    same seed gives the same rows whichever process makes the chunk, and in whatever order."""

    def __init__(self, directory: Directory, first: int):
        self.directory, self.first = directory, first
        self.rng = random.Random(f"{directory.seed}-{first}")
        self.tables: dict[str, Rows] = {}
        self.credentials = directory.credentials_before[first]

    def write(self, table: str, **row) -> None:
        if table not in self.tables:
            self.tables[table] = Rows(table)
        self.tables[table].add(row)

    def new_id(self) -> str:
        return new_id(self.rng)

    def moment(self, after: datetime, before: datetime = REFERENCE_TIME) -> datetime:
        seconds = max((before - after).total_seconds(), 0)
        return after + timedelta(seconds=int(self.rng.uniform(0, seconds)))

    def run(self, last: int) -> list[Batch]:
        directory = self.directory
        for number in range(self.first, last):
            self.practitioner(
                number,
                directory.certifications[number],
                directory.testimonials[number],
                directory.gallery[number],
            )
        return [batch for rows in self.tables.values() for batch in rows.batches()]

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
        treatments = rng.sample(self.directory.treatments, rng.randint(1, 4))
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
        user_id = self.new_id()
        email = f"practitioner{number}@bench.example.com"
        self.write(
            "users",
            **user_row(
                user_id, email, full_name, "practitioner", self.directory.password_hash, created
            ),
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
        next_available = self.schedule(practitioner_id, city, country, created)

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
            "place_id": self.directory.places[city, country],
            "city_match": city_match_key(self.directory.places[city, country], keys["city_key"]),
            "treatment_keys": codes_key(treatments),
            "language_keys": codes_key(languages),
            "years_experience": years,
            "accepts_new_patients": rng.random() < 0.85,
            "deleted_at": self.moment(created) if rng.random() < 0.01 else None,
            "verified_until": verified_until,
            "next_available": next_available,
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
                reviewed_by=None if reviewed is None else self.directory.admin_id,
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
            author_id, email, author_name = rng.choice(self.directory.patients)
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

    def schedule(
        self, practitioner_id: str, city: str, country: str, created: datetime
    ) -> datetime | None:
        """Write the weekly schedule most practitioners have; return its first free slot
        (next_available), as of the directory's `now`."""
        row = availability.schedule_row(self.rng, practitioner_id, city, country, created)
        if row is None:
            return None
        next_available, row["refresh_due_at"] = availability.outlook_of(row, self.directory.now)
        self.write("availabilities", **row)
        return next_available

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
    """Fill an empty, migrated database, schedules included, with next_available as of `now`
    (the clock's by default: the one value that is not from the seed).

    The rows go in by COPY while the tables they fill have no secondary index, and those
    indexes are built again afterwards from the catalog's own definitions: at 1,000,000
    practitioners, updating the 27 indexes of practitioners (five of them trigram indexes) row
    by row, then again for next_available, took longer than building them (bench/README.md,
    ninth pass). next_available is computed with each schedule, so no row is written twice
    (eleventh pass). Triggers are off during the load: foreign keys' (the generator writes
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
            now = now or datetime.now(UTC)
            counts = load(cursor, scale, seed, now, _password_hash(seed), places)
            cursor.execute(
                "UPDATE live_profile_count SET value = "
                "(SELECT count(*) FROM practitioners WHERE deleted_at IS NULL)"
            )
            cursor.execute("SELECT recount_search_words()")  # its triggers were off too
    finally:
        connection.close()
        _build_again(database_url, set_aside)  # also where the commit itself failed
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
    """Create the indexes set aside that do not exist (none, where the load was undone), one
    per CPU at a time (up to BUILDERS): a build is mostly one process's work on the server."""
    with ThreadPoolExecutor(max_workers=min(processes(), BUILDERS)) as builders:
        list(builders.map(lambda index: _build(database_url, *index), set_aside))


def _build(database_url: str, name: str, definition: str) -> None:
    with autocommitted(database_url) as cursor:
        cursor.execute("SELECT to_regclass(%s)", (name,))
        if cursor.fetchone()[0] is None:
            cursor.execute("SET maintenance_work_mem = '512MB'")
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
