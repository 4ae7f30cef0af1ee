"""The words and places the generator draws from: real cities, weighted by population."""

# city, region, country, latitude, longitude, languages spoken (first is local), currency,
# metro population in millions (the share of practitioners a city gets)
CITIES = [
    ("Paris", "Île-de-France", "FR", 48.8566, 2.3522, "fr", "EUR", 11.1),
    ("Lyon", "Auvergne-Rhône-Alpes", "FR", 45.7640, 4.8357, "fr", "EUR", 2.3),
    ("Marseille", "Provence-Alpes-Côte d'Azur", "FR", 43.2965, 5.3698, "fr", "EUR", 1.9),
    ("Nice", "Provence-Alpes-Côte d'Azur", "FR", 43.7102, 7.2620, "fr", "EUR", 1.0),
    ("Toulouse", "Occitanie", "FR", 43.6047, 1.4442, "fr", "EUR", 1.4),
    ("Bordeaux", "Nouvelle-Aquitaine", "FR", 44.8378, -0.5792, "fr", "EUR", 1.3),
    ("Lille", "Hauts-de-France", "FR", 50.6292, 3.0573, "fr", "EUR", 1.2),
    ("Bruxelles", "Bruxelles-Capitale", "BE", 50.8503, 4.3517, "fr", "EUR", 2.1),
    ("Antwerpen", "Vlaanderen", "BE", 51.2194, 4.4025, "nl", "EUR", 1.1),
    ("Genève", "Genève", "CH", 46.2044, 6.1432, "fr", "CHF", 0.6),
    ("Zürich", "Zürich", "CH", 47.3769, 8.5417, "de", "CHF", 1.4),
    ("Madrid", "Comunidad de Madrid", "ES", 40.4168, -3.7038, "es", "EUR", 6.7),
    ("Barcelona", "Catalunya", "ES", 41.3874, 2.1686, "es", "EUR", 5.6),
    ("Valencia", "Comunitat Valenciana", "ES", 39.4699, -0.3763, "es", "EUR", 1.6),
    ("Sevilla", "Andalucía", "ES", 37.3891, -5.9845, "es", "EUR", 1.5),
    ("Milano", "Lombardia", "IT", 45.4642, 9.1900, "it", "EUR", 4.3),
    ("Roma", "Lazio", "IT", 41.9028, 12.4964, "it", "EUR", 4.3),
    ("Napoli", "Campania", "IT", 40.8518, 14.2681, "it", "EUR", 3.1),
    ("Torino", "Piemonte", "IT", 45.0703, 7.6869, "it", "EUR", 1.7),
    ("Berlin", "Berlin", "DE", 52.5200, 13.4050, "de", "EUR", 4.5),
    ("München", "Bayern", "DE", 48.1351, 11.5820, "de", "EUR", 2.9),
    ("Hamburg", "Hamburg", "DE", 53.5511, 9.9937, "de", "EUR", 2.5),
    ("Frankfurt am Main", "Hessen", "DE", 50.1109, 8.6821, "de", "EUR", 2.3),
    ("Köln", "Nordrhein-Westfalen", "DE", 50.9375, 6.9603, "de", "EUR", 2.1),
    ("Wien", "Wien", "AT", 48.2082, 16.3738, "de", "EUR", 2.9),
    ("Amsterdam", "Noord-Holland", "NL", 52.3676, 4.9041, "nl", "EUR", 2.5),
    ("Rotterdam", "Zuid-Holland", "NL", 51.9244, 4.4777, "nl", "EUR", 1.8),
    ("Lisboa", "Lisboa", "PT", 38.7223, -9.1393, "pt", "EUR", 2.9),
    ("Porto", "Norte", "PT", 41.1579, -8.6291, "pt", "EUR", 1.7),
    ("London", "England", "GB", 51.5074, -0.1278, "en", "GBP", 9.7),
    ("Manchester", "England", "GB", 53.4808, -2.2426, "en", "GBP", 2.8),
    ("Birmingham", "England", "GB", 52.4862, -1.8904, "en", "GBP", 2.6),
    ("Edinburgh", "Scotland", "GB", 55.9533, -3.1883, "en", "GBP", 0.9),
    ("Dublin", "Leinster", "IE", 53.3498, -6.2603, "en", "EUR", 2.0),
    ("København", "Hovedstaden", "DK", 55.6761, 12.5683, "da", "DKK", 2.1),
    ("Stockholm", "Stockholm", "SE", 59.3293, 18.0686, "sv", "SEK", 2.4),
    ("Oslo", "Oslo", "NO", 59.9139, 10.7522, "no", "NOK", 1.1),
    ("Helsinki", "Uusimaa", "FI", 60.1699, 24.9384, "fi", "EUR", 1.5),
    ("Warszawa", "Mazowieckie", "PL", 52.2297, 21.0122, "pl", "PLN", 3.1),
    ("Kraków", "Małopolskie", "PL", 50.0647, 19.9450, "pl", "PLN", 1.5),
    ("Praha", "Praha", "CZ", 50.0755, 14.4378, "cs", "CZK", 2.7),
    ("Budapest", "Budapest", "HU", 47.4979, 19.0402, "hu", "HUF", 3.0),
    ("București", "București", "RO", 44.4268, 26.1025, "ro", "RON", 2.3),
    ("Athína", "Attikí", "GR", 37.9838, 23.7275, "el", "EUR", 3.7),
    ("İstanbul", "İstanbul", "TR", 41.0082, 28.9784, "tr", "TRY", 15.6),
    ("Dubai", "Dubai", "AE", 25.2048, 55.2708, "ar", "AED", 3.6),
    ("Beyrouth", "Beyrouth", "LB", 33.8938, 35.5018, "ar", "USD", 2.4),
    ("Casablanca", "Casablanca-Settat", "MA", 33.5731, -7.5898, "ar", "MAD", 4.3),
    ("Tunis", "Tunis", "TN", 36.8065, 10.1815, "ar", "TND", 2.7),
    ("Montréal", "Québec", "CA", 45.5019, -73.5674, "fr", "CAD", 4.3),
    ("Toronto", "Ontario", "CA", 43.6532, -79.3832, "en", "CAD", 6.4),
    ("New York", "New York", "US", 40.7128, -74.0060, "en", "USD", 19.8),
    ("Miami", "Florida", "US", 25.7617, -80.1918, "en", "USD", 6.1),
    ("Los Angeles", "California", "US", 34.0522, -118.2437, "en", "USD", 12.8),
    ("São Paulo", "São Paulo", "BR", -23.5558, -46.6396, "pt", "BRL", 22.0),
    ("Rio de Janeiro", "Rio de Janeiro", "BR", -22.9068, -43.1729, "pt", "BRL", 13.6),
    ("Buenos Aires", "Buenos Aires", "AR", -34.6037, -58.3816, "es", "ARS", 15.4),
    ("Ciudad de México", "CDMX", "MX", 19.4326, -99.1332, "es", "MXN", 21.8),
    ("Bogotá", "Bogotá", "CO", 4.7110, -74.0721, "es", "COP", 11.3),
    ("Seoul", "Seoul", "KR", 37.5665, 126.9780, "ko", "KRW", 9.9),
    ("Singapore", "Singapore", "SG", 1.3521, 103.8198, "en", "SGD", 5.9),
    ("Sydney", "New South Wales", "AU", -33.8688, 151.2093, "en", "AUD", 5.3),
]
SECOND_LANGUAGES = ["en", "en", "en", "fr", "es", "de", "it", "ar", "ru", "pt"]

FIRST_NAMES = (
    "Élodie Camille Inès Marc Sofia Lucía Giulia Hélène Jan Ana Léa Matteo Chloé Javier Anna "
    "Thomas Noémie Paolo Sarah Zoé Lukas Emma Olivia Hugo Louis Nora Yasmine Karim Leila Omar "
    "Björn Astrid Piotr Zofia Tomáš Eszter Ioana Dimitra Elif Mehmet Aisha Rafael Beatriz "
    "Valentina Mateo Camila Min-jun Ji-woo Grace Liam Chiara Francesca Lorenzo Margaux Clément"
).split()
LAST_NAMES = (
    "Martin Bernard Rossi García Müller Pereira Dubois Ferrari Lefèvre Moreau Schmidt Silva "
    "Fontaine Romano López Girard Weber Costa Janssen Peeters Nielsen Andersson Hansen Virtanen "
    "Kowalski Nowak Novák Nagy Popescu Papadopoulos Yılmaz Haddad Benali Tremblay Smith Johnson "
    "Rodríguez Santos Oliveira Fernández Kim Park Tan Wilson Murphy Kelly Ricci Bianchi Esposito "
    "Lambert Roux Faure Wagner Becker Hoffmann Jansen Visser Sousa Ferreira Gómez Martínez"
).split()
TITLES = ["Aesthetic physician", "Dermatologist", "Médecin esthétique", "Plastic surgeon", None]
CLINIC_WORDS = (
    "Lumière Éclat Aura Belle-Peau Derma Vitalis Harmonie Essence Radiance Glow Nova Soleil "
    "Serenity Pure Velvet Iris Jade Opale"
).split()
CLINIC_KINDS = ["Clinic", "Institut", "Studio", "Centre", "Medical Spa", "Cabinet"]
BIO = (
    "{title} practising mesotherapy in {city} for {years} years. Focus on {focus}: a personalised "
    "protocol after a first consultation and natural-looking results."
)
ISSUERS = [
    ("Diplôme Inter-Universitaire de Mésothérapie", "Université Paris Cité"),
    ("Certificate in Aesthetic Medicine", "European College of Aesthetic Medicine"),
    ("Board Certification in Dermatology", "European Board of Dermatology"),
    ("Mesotherapy Practitioner Certificate", "Société Française de Mésothérapie"),
    ("Advanced Injectables Training", "International Academy of Aesthetics"),
]
REVIEW_TITLES = {
    1: ["Disappointing", "Not for me", "No visible change"],
    2: ["Below expectations", "Mixed feelings", "Too expensive for the result"],
    3: ["Decent result", "Okay overall", "Some improvement"],
    4: ["Very good experience", "Happy with the result", "Professional and kind"],
    5: ["Outstanding", "Visible results after three sessions", "I recommend without hesitation"],
}
REVIEW_BODY = (
    "{title}. I had {sessions} sessions for {treatment}. The consultation was thorough, the "
    "protocol clearly explained and the follow-up attentive."
)
RESPONSE = "Thank you for taking the time to share your experience; see you at your next check-up."
