"""What each mail says, in English: a subject, a few paragraphs, an action (the link's label)
and a note, laid out as plain text and as HTML by templates/layout.txt and layout.html.

Every template renders with only `name` and `link` in its context: a missing key renders as
nothing, and the sentences are written so that they still read well without it. The keys a
caller may add (each optional):

| key | used by | what |
|---|---|---|
| `practitioner_name`, `patient_name` | consultation, review, testimonial, gallery mails | names |
| `other_party` | consultation-cancelled, booking-* | the other person's name |
| `treatment` | consultation, booking, review, gallery mails | the treatment's name |
| `starts_at`, `previous_starts_at` | consultation, booking mails | ISO 8601 with offset |
| `message` | consultation-requested | the patient's message |
| `reason` | consultation-declined, testimonial-hidden, certification-rejected | why |
| `rating` | testimonial-published | 1..5 |
| `certification_name`, `expires_on` | certification-* (and invitation) | `expires_on`: a date |
| `new_email` | email-change-* | the address asked for |
| `code` | invitation | the invitation code |
| `caption`, `decision` | gallery-consent-* | `decision`: `declined` or `revoked` |
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from jinja2 import ChainableUndefined, Environment, FileSystemLoader, Template
from markupsafe import Markup

from directory.mail.models import MailEvent

SUBJECT_MAX = 255


@dataclass(frozen=True)
class MailText:
    subject: str
    paragraphs: tuple[str, ...]
    action: str | None = None  # the label of `link`; None: the mail has no link
    note: str | None = None  # small print under the link


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


TREATMENT = "{% if treatment %} for {{ treatment }}{% endif %}"
WHEN = "{% if starts_at %} on {{ starts_at | when }}{% endif %}"
REASON = "{% if reason %}The reason given: {{ reason }}{% endif %}"

MAILS: dict[MailEvent, MailText] = {
    MailEvent.EMAIL_VERIFICATION: MailText(
        "Confirm your email address",
        ("Please confirm that this address is yours to finish setting up your account.",),
        "Confirm my email address",
        "The link is valid for 48 hours and works once. If you did not create an account, "
        "ignore this mail.",
    ),
    MailEvent.REGISTRATION_ATTEMPT: MailText(
        "Someone tried to register with your email address",
        (
            "Someone tried to create an account with this address, which already has one.",
            "If it was you, sign in instead{% if link %}, or choose a new password if you "
            "forgot it{% endif %}. If it was not you, ignore this mail: nothing has changed.",
        ),
        "Choose a new password",
    ),
    MailEvent.PASSWORD_RESET: MailText(
        "Reset your password",
        ("We received a request to reset the password of your account.",),
        "Choose a new password",
        "The link is valid for 1 hour and works once. If you did not ask for it, ignore this "
        "mail: your password stays as it is.",
    ),
    MailEvent.PASSWORD_CHANGED: MailText(
        "Your password was changed",
        (
            "The password of your account was changed, and every other session was signed out.",
            "If you did not do this, choose a new password at once"
            "{% if link %} with the link below{% endif %}.",
        ),
        "Choose a new password",
    ),
    MailEvent.EMAIL_CHANGE_CONFIRM: MailText(
        "Confirm your new email address",
        (
            "Please confirm that {% if new_email %}{{ new_email }}{% else %}this address"
            "{% endif %} should become the email address of your account.",
            "Nothing changes until you confirm.",
        ),
        "Confirm the new address",
        "If you did not ask for this, ignore this mail.",
    ),
    MailEvent.EMAIL_CHANGE_NOTICE: MailText(
        "Your account's email address is about to change",
        (
            "Someone asked to move your account to {% if new_email %}{{ new_email }}"
            "{% else %}another address{% endif %}. Nothing changes until the new address is "
            "confirmed.",
            "If it was not you, change your password now.",
        ),
    ),
    MailEvent.ACCOUNT_DELETED: MailText(
        "Your account was deleted",
        (
            "Your account and its personal data were deleted, as you asked.",
            "You can register again with this address at any time.",
        ),
    ),
    MailEvent.INVITATION: MailText(
        "{{ practitioner_name or 'Your practitioner' }} invites you to write a review",
        (
            "{{ practitioner_name or 'Your practitioner' }} invites you to share your experience"
            " with other patients.",
            "{% if code %}Your invitation code: {{ code }}. {% endif %}Only an account whose "
            "verified email is this address can use it.",
        ),
        "Write my review",
        "The invitation is valid {% if expires_on %}until {{ expires_on | day }}"
        "{% else %}for 30 days{% endif %} and works once.",
    ),
    MailEvent.CONSULTATION_REQUESTED: MailText(
        "New consultation request{% if patient_name %} from {{ patient_name }}{% endif %}",
        (
            "{{ patient_name or 'A patient' }} asks for a consultation" + TREATMENT + WHEN + ".",
            "{% if message %}Their message: {{ message }}{% endif %}",
        ),
        "See the request",
    ),
    MailEvent.CONSULTATION_CONFIRMED: MailText(
        "Your consultation is confirmed",
        (
            "{{ practitioner_name or 'Your practitioner' }} confirmed your consultation"
            + TREATMENT
            + WHEN
            + ".",
        ),
        "See the consultation",
    ),
    MailEvent.CONSULTATION_DECLINED: MailText(
        "Your consultation request was declined",
        (
            "{{ practitioner_name or 'The practitioner' }} declined your consultation request"
            + TREATMENT
            + ".",
            REASON,
        ),
        "See the consultation",
    ),
    MailEvent.CONSULTATION_CANCELLED: MailText(
        "A consultation was cancelled",
        ("{{ other_party or 'The other party' }} cancelled the consultation" + TREATMENT + ".",),
        "See the consultation",
    ),
    MailEvent.REVIEW_REQUEST: MailText(
        "How did your appointment go?",
        (
            "Your appointment with {{ practitioner_name or 'your practitioner' }}"
            + TREATMENT
            + " is complete.",
            "Would you share your experience? Your review helps other patients choose.",
        ),
        "Write a review",
    ),
    MailEvent.TESTIMONIAL_PUBLISHED: MailText(
        "You have a new review",
        (
            "{{ patient_name or 'A client' }} reviewed you"
            "{% if rating %} ({{ rating }} out of 5){% endif %}.",
        ),
        "Read the review",
        "You may answer it publicly, once, and replace your answer later.",
    ),
    MailEvent.TESTIMONIAL_RESPONSE: MailText(
        "{{ practitioner_name or 'The practitioner' }} answered your review",
        ("{{ practitioner_name or 'The practitioner' }} answered your review publicly.",),
        "Read the answer",
    ),
    MailEvent.TESTIMONIAL_HIDDEN: MailText(
        "A review was hidden by our moderators",
        (
            "A moderator hid the review{% if practitioner_name %} of {{ practitioner_name }}"
            "{% endif %}: it no longer appears on the profile or in its rating.",
            REASON,
        ),
    ),
    MailEvent.CERTIFICATION_VERIFIED: MailText(
        "Your certification was verified",
        (
            "{{ certification_name or 'Your certification' }} is verified: it now appears on "
            "your public profile.",
        ),
        "See your certifications",
    ),
    MailEvent.CERTIFICATION_REJECTED: MailText(
        "Your certification could not be verified",
        (
            "We could not verify {{ certification_name or 'your certification' }}.",
            REASON,
            "You may upload a clearer document, or add another certification.",
        ),
        "See your certifications",
    ),
    MailEvent.CERTIFICATION_EXPIRING: MailText(
        "Your certification expires soon",
        (
            "{{ certification_name or 'Your certification' }} expires "
            "{% if expires_on %}on {{ expires_on | day }}{% else %}soon{% endif %}.",
            "Add the renewed certification to stay verified.",
        ),
        "See your certifications",
    ),
    MailEvent.CERTIFICATION_EXPIRED: MailText(
        "Your certification has expired",
        (
            "{{ certification_name or 'Your certification' }} expired"
            "{% if expires_on %} on {{ expires_on | day }}{% endif %}: it no longer counts "
            "toward your verified status.",
        ),
        "See your certifications",
    ),
    MailEvent.GALLERY_CONSENT_REQUEST: MailText(
        "{{ practitioner_name or 'Your practitioner' }} asks to publish your before and after "
        "photos",
        (
            "{{ practitioner_name or 'Your practitioner' }} would like to publish before and "
            "after photos of your treatment{% if treatment %} ({{ treatment }}){% endif %}"
            "{% if caption %}, captioned “{{ caption }}”{% endif %}.",
            "Nothing is published unless you agree, and you may withdraw your consent at any "
            "time with the same link: the photos are then deleted.",
        ),
        "See the photos and decide",
        "Without an answer within 30 days the request lapses and the photos are deleted.",
    ),
    MailEvent.GALLERY_CONSENT_DECLINED: MailText(
        "Photo consent {% if decision == 'revoked' %}withdrawn{% else %}declined{% endif %}",
        (
            "{{ patient_name or 'Your patient' }} "
            "{% if decision == 'revoked' %}withdrew their consent to{% else %}declined{% endif %}"
            " the publication of the before and after photos"
            "{% if treatment %} ({{ treatment }}){% endif %}.",
            "The gallery item and its photos were deleted.",
        ),
    ),
    MailEvent.BOOKING_CONFIRMED: MailText(
        "Appointment booked{% if starts_at %}: {{ starts_at | when }}{% endif %}",
        (
            "Your appointment{% if other_party %} with {{ other_party }}{% endif %}"
            + TREATMENT
            + WHEN
            + " is booked.",
        ),
        "See the appointment",
    ),
    MailEvent.BOOKING_REMINDER: MailText(
        "Reminder: your appointment{% if starts_at %} on {{ starts_at | when }}{% endif %}",
        (
            "A reminder of your appointment{% if other_party %} with {{ other_party }}{% endif %}"
            + TREATMENT
            + WHEN
            + ".",
            "If you cannot come, please cancel it so that someone else may take the slot.",
        ),
        "See the appointment",
    ),
    MailEvent.BOOKING_MOVED: MailText(
        "Your appointment was moved",
        (
            "{{ other_party or 'The other party' }} moved the appointment" + TREATMENT + ""
            "{% if previous_starts_at %} from {{ previous_starts_at | when }}{% endif %}"
            "{% if starts_at %} to {{ starts_at | when }}{% endif %}.",
        ),
        "See the appointment",
    ),
    MailEvent.BOOKING_CANCELLED: MailText(
        "Your appointment was cancelled",
        (
            "{{ other_party or 'The other party' }} cancelled the appointment"
            + TREATMENT
            + WHEN
            + ".",
        ),
        "See your appointments",
    ),
}


def format_when(value) -> str:
    """`2026-03-03T14:30:00+01:00` as `Tuesday 3 March 2026 at 14:30 (UTC+01:00)`, in the
    offset it was given in (the practitioner's local time); anything else as it is."""
    moment = value
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(moment, datetime):
        return "" if not value else str(value)
    text = f"{moment:%A} {moment.day} {moment:%B %Y} at {moment:%H:%M}"
    offset = moment.utcoffset()
    if offset is None:
        return text
    hours, seconds = divmod(int(offset.total_seconds()), 3600)
    return text + (f" (UTC{hours:+03d}:{seconds // 60:02d})" if offset else " (UTC)")


def format_day(value) -> str:
    """`2026-03-03` as `3 March 2026`; anything else as it is."""
    day = value
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if not isinstance(day, date):
        return "" if not value else str(value)
    return f"{day.day} {day:%B %Y}"


def _environment(autoescape: bool) -> Environment:
    environment = Environment(
        loader=FileSystemLoader(Path(__file__).with_name("templates")),
        autoescape=autoescape,
        # A missing key, or one given as None, renders as nothing (never "None", never an error).
        undefined=ChainableUndefined,
        finalize=lambda value: "" if value is None else value,
        keep_trailing_newline=True,
    )
    environment.filters["when"] = format_when
    environment.filters["day"] = format_day
    return environment


_TEXT = _environment(autoescape=False)
_HTML = _environment(autoescape=True)


@dataclass(frozen=True)
class _Compiled:
    subject: Template
    text: tuple[Template, ...]
    html: tuple[Template, ...]


def _compile(mail: MailText) -> _Compiled:
    parts = [*mail.paragraphs, mail.action or "", mail.note or ""]
    return _Compiled(
        _TEXT.from_string(mail.subject),
        tuple(_TEXT.from_string(part) for part in parts),
        tuple(_HTML.from_string(part) for part in parts),
    )


_COMPILED = {event: _compile(mail) for event, mail in MAILS.items()}
_LAYOUT_TEXT = _TEXT.get_template("layout.txt")
_LAYOUT_HTML = _HTML.get_template("layout.html")


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def render(event: MailEvent, context: dict, unsubscribe_url: str | None = None) -> RenderedMail:
    """The subject, text and HTML of a mail."""
    compiled = _COMPILED[event]
    subject = _one_line(compiled.subject.render(context))[:SUBJECT_MAX]

    def parts(templates: tuple[Template, ...]) -> tuple[list[str], str, str]:
        *paragraphs, action, note = (_one_line(t.render(context)) for t in templates)
        return [p for p in paragraphs if p], action, note

    layout = {
        "name": context.get("name"),
        "link": context.get("link"),
        "unsubscribe_url": unsubscribe_url,
    }
    paragraphs, action, note = parts(compiled.text)
    text = _LAYOUT_TEXT.render(layout, paragraphs=paragraphs, action=action, note=note)
    paragraphs, action, note = parts(compiled.html)
    html = _LAYOUT_HTML.render(
        layout,
        subject=subject,
        # Rendered with autoescape on above: safe to place as they are.
        paragraphs=[Markup(p) for p in paragraphs],
        action=Markup(action),
        note=Markup(note),
    )
    return RenderedMail(subject, text, html)
