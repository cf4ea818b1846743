"""``<token>`` templates: the task template, the job title, metadata values, the output path.

``table`` lists every token and its scope (global, job, task, tile), ``template`` parses,
checks and renders templates (see its docstring for the exact syntax), ``values`` writes token
values the way the seeds show them. The job model (``farmhand.core.job``) supplies the values.
"""

from farmhand.core.tokens.table import (
    SCOPES,
    TOKEN_SCOPE,
    TOKENS,
    TokenInfo,
    tokens_of_scope,
    tokens_visible_in,
)
from farmhand.core.tokens.template import TOKEN_PATTERN, Template, render_template
from farmhand.core.tokens.values import (
    chunk_value_getters,
    format_timestamp,
    preemptible_word,
    quote,
    quote_each,
    quote_optional,
    submission_time,
)

__all__ = [
    "SCOPES",
    "TOKENS",
    "TOKEN_PATTERN",
    "TOKEN_SCOPE",
    "Template",
    "TokenInfo",
    "chunk_value_getters",
    "format_timestamp",
    "preemptible_word",
    "quote",
    "quote_each",
    "quote_optional",
    "render_template",
    "submission_time",
    "tokens_of_scope",
    "tokens_visible_in",
]
