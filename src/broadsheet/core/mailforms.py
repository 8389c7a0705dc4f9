"""Forms whose success is an email (a sign-in link, a confirmation): one way to report
a refusal or a mail server that is down, without a 500 and with the form kept."""

import logging
import smtplib
from collections.abc import Callable

from django import forms

from broadsheet.core.ratelimit import RateLimited

log = logging.getLogger(__name__)


def send_from_form(form: forms.Form, send: Callable[[], object]) -> int:
    """Run `send`; on a refusal or a mail failure, put the reason on the form.

    Returns the HTTP status to answer with the form again, or 0 when it went through.
    """
    try:
        send()
    except RateLimited as error:
        form.add_error(None, str(error))
        return 429
    except (smtplib.SMTPException, OSError):
        log.exception("Could not send mail")
        form.add_error(None, "The email could not be sent just now. Please try again later.")
        return 503
    return 0
