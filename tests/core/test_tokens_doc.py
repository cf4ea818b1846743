"""docs/tokens.md lists exactly the tokens of farmhand.core.tokens.TOKENS, with their scopes."""

import os
import re

from farmhand.core.tokens import TOKENS

DOC = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "docs", "tokens.md")


def test_every_token_is_documented_with_its_scope():
    with open(DOC, encoding="utf-8") as handle:
        text = handle.read()
    documented = dict(re.findall(r"^\| `<(\w+)>` \| (\w+) \|", text, re.MULTILINE))
    assert documented == {info.name: info.scope for info in TOKENS}
