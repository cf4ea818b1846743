"""The token table as the submitter shows it, and live checks of templates against it.

Both come from ``farmhand.core.tokens``: the menus offer exactly the tokens the core accepts
in a field's scope, and a template typed in a widget gets the same ``TokenError`` text the
preview and ``farmhand preview`` would give.
"""

from typing import List, Optional

from farmhand.core.errors import TokenError
from farmhand.core.tokens import TOKENS, Template, TokenInfo, tokens_visible_in


def token_rows(scope: Optional[str] = None) -> List[TokenInfo]:
    """Every token visible in ``scope`` (all tokens when ``None``), in table order."""
    if scope is None:
        return list(TOKENS)
    visible = set(tokens_visible_in(scope))
    return [info for info in TOKENS if info.name in visible]


def template_error(text: str, scope: str, field: str) -> Optional[str]:
    """The core's error for a template typed in ``field``, or ``None`` when it is valid."""
    try:
        Template(text, scope, field)
    except TokenError as error:
        return str(error)
    return None
