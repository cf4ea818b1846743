"""What the submitter checks about the workstation's side of the settings, via the core.

``expand`` shows what ``$VAR`` in an extra-environment value becomes here (the job model
expands them the same way when it builds the job). ``check_emails`` gives the job model's
error for the first bad notify address.
"""

import re
from typing import List, Optional

from farmhand.core.environment import expand_local_variables


def expand(text: str) -> str:
    expanded, _undefined = expand_local_variables(text)
    return expanded


# Until the job model's validation exposes its own check, the same shape it documents:
# one "@", no spaces, a dot in the domain. Replaced by the core's check when it lands.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_emails(emails: List[str]) -> Optional[str]:
    for position, email in enumerate(emails, 1):
        if not _EMAIL.match(email):
            return "notify: address {} {!r} is not an email address".format(position, email)
    return None
