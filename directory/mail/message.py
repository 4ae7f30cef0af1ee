"""The whole message, composed once when the mail is queued: what the worker sends, byte for
byte, at every attempt (the same Message-ID and Date: a receiver can recognise a repeat).

Built with the email.mime classes (the compat32 policy): three times cheaper than
EmailMessage here, and their Header encoding folds long non-ASCII subjects correctly, where
the default policy's folder drops spaces between encoded words.
"""

from datetime import datetime
from email import charset
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime

from directory.mail.models import MailEvent
from directory.mail.templates import RenderedMail

# Quoted-printable: mostly-ASCII text stays readable in an .eml file, and no line is too long.
UTF8_QP = charset.Charset("utf-8")
UTF8_QP.body_encoding = charset.QP


def compose(
    event: MailEvent,
    sender: str,
    recipient: str,
    mail: RenderedMail,
    message_id: str,
    created_at: datetime,
    unsubscribe_url: str | None = None,
) -> str:
    """An RFC 5322 message, 7-bit clean: a text and an HTML alternative, and our headers."""
    message = MIMEMultipart("alternative")
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = Header(mail.subject, "us-ascii" if mail.subject.isascii() else "utf-8")
    message["Date"] = format_datetime(created_at)
    message["Message-ID"] = message_id
    message["X-Directory-Event"] = event.value
    # RFC 3834: no vacation replies to a robot.
    message["Auto-Submitted"] = "auto-generated"
    if unsubscribe_url:
        message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"  # RFC 8058
    message.attach(MIMEText(mail.text, "plain", UTF8_QP))
    message.attach(MIMEText(mail.html, "html", UTF8_QP))
    return message.as_string()
