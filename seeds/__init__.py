"""Demo data for `flask --app wsgi seed`."""


def load_demo_data() -> str:
    return "nothing yet"
