"""Demo practitioners: a few dozen profiles in European cities, deterministic."""

import random

from directory.treatments.reference import REFERENCE_TREATMENT_SLUGS

# city, region, country, latitude, longitude, language, currency, postal code
CITIES = [
    ("Paris", "Île-de-France", "FR", 48.8566, 2.3522, "fr", "EUR", "75008"),
    ("Lyon", "Auvergne-Rhône-Alpes", "FR", 45.7640, 4.8357, "fr", "EUR", "69002"),
    ("Marseille", "Provence-Alpes-Côte d'Azur", "FR", 43.2965, 5.3698, "fr", "EUR", "13006"),
    ("Nice", "Provence-Alpes-Côte d'Azur", "FR", 43.7102, 7.2620, "fr", "EUR", "06000"),
    ("Bruxelles", "Bruxelles-Capitale", "BE", 50.8503, 4.3517, "fr", "EUR", "1050"),
    ("Genève", "Genève", "CH", 46.2044, 6.1432, "fr", "CHF", "1204"),
    ("Madrid", "Comunidad de Madrid", "ES", 40.4168, -3.7038, "es", "EUR", "28001"),
    ("Barcelona", "Catalunya", "ES", 41.3874, 2.1686, "es", "EUR", "08008"),
    ("Milano", "Lombardia", "IT", 45.4642, 9.1900, "it", "EUR", "20121"),
    ("Roma", "Lazio", "IT", 41.9028, 12.4964, "it", "EUR", "00187"),
    ("Berlin", "Berlin", "DE", 52.5200, 13.4050, "de", "EUR", "10117"),
    ("München", "Bayern", "DE", 48.1351, 11.5820, "de", "EUR", "80331"),
    ("Lisboa", "Lisboa", "PT", 38.7223, -9.1393, "pt", "EUR", "1250-096"),
    ("London", "England", "GB", 51.5074, -0.1278, "en", "GBP", "W1G 9PF"),
]

FIRST_NAMES = [
    "Élodie",
    "Camille",
    "Inès",
    "Marc",
    "Sofia",
    "Lucía",
    "Giulia",
    "Hélène",
    "Jan",
    "Ana",
    "Léa",
    "Matteo",
    "Chloé",
    "Javier",
    "Anna",
    "Thomas",
    "Noémie",
    "Paolo",
    "Sarah",
    "Zoé",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Rossi",
    "García",
    "Müller",
    "Pereira",
    "Dubois",
    "Ferrari",
    "Lefèvre",
    "Moreau",
    "Schmidt",
    "Silva",
    "Fontaine",
    "Romano",
    "López",
    "Girard",
    "Weber",
    "Costa",
]
TITLES = ["Aesthetic physician", "Dermatologist", "Médecin esthétique", "Plastic surgeon"]
CLINIC_WORDS = ["Lumière", "Éclat", "Aura", "Belle Peau", "Derma Studio", "Vitalis", "Harmonie"]
BIO = (
    "{title} practising mesotherapy in {city} for {years} years. Focus on {focus}: "
    "a personalised protocol after a first consultation, natural-looking results, "
    "and follow-up sessions tailored to each patient."
)

PRACTITIONERS_PER_CITY = 3


def demo_profiles(seed: int = 7) -> list[dict]:
    """Profile bodies (as the API takes them) with the account email to own each. Every city
    is one the gazetteer knows (its local spelling: München, Milano, Genève)."""
    rng = random.Random(seed)
    pricing = random.Random(seed + 1)  # apart, so that prices change no other demo value
    profiles = []
    for city, region, country, lat, lng, language, currency, postal_code in CITIES:
        for n in range(PRACTITIONERS_PER_CITY):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            title = rng.choice(TITLES)
            treatments = sorted(rng.sample(REFERENCE_TREATMENT_SLUGS, rng.randint(2, 4)))
            years = rng.randint(2, 25)
            profile = {
                "account_email": f"practitioner-{city.lower()}-{n + 1}@demo.example.com",
                "full_name": f"Dr {first} {last}",
                "title": title,
                "clinic_name": f"Clinique {rng.choice(CLINIC_WORDS)} {city}",
                "bio": BIO.format(title=title, city=city, years=years, focus=", ".join(treatments)),
                "email": f"contact-{city.lower()}-{n + 1}@demo.example.com",
                "website": f"https://clinic-{city.lower()}-{n + 1}.example.com",
                "address": f"{rng.randint(1, 120)} rue de la Santé",
                "city": city,
                "region": region,
                "postal_code": postal_code,
                "country": country,
                "latitude": round(lat + rng.uniform(-0.05, 0.05), 5),
                "longitude": round(lng + rng.uniform(-0.05, 0.05), 5),
                "treatments": treatments,
                "languages": sorted(
                    {language, "en"} | set(rng.sample(["fr", "es", "it", "de"], 1))
                ),
                "price_from": float(rng.choice([60, 80, 90, 120, 150, 180, 250])),
                "currency": currency,
                "years_experience": years,
                "accepts_new_patients": rng.random() > 0.2,
            }
            profile["treatment_prices"] = _treatment_prices(
                treatments, profile["price_from"], pricing
            )
            profiles.append(profile)
    return profiles


def _treatment_prices(treatments: list[str], price_from: float, rng: random.Random) -> dict:
    """Prices of their own for some treatments (the others cost price_from), never below it."""
    priced = rng.sample(treatments, rng.randint(0, len(treatments)))
    return {slug: price_from + rng.choice([0, 20, 40, 60, 100, 150]) for slug in sorted(priced)}
