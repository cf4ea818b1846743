"""Fuzz target: ``<token>`` templates (task template, job title, metadata, output path).

The first byte picks the scope (global, job, task, tile), the rest is the template. Contract:
``Template`` accepts the text or raises ``TokenError`` naming the token and the valid ones;
an accepted template renders with every visible token, and rendering each token as its own
``<name>`` gives the source back (the round trip), through ``render`` and ``renderer`` alike.

    python -m fuzz.token_template -max_total_time=60 fuzz/corpus/token_template
"""

from farmhand.core.tokens import SCOPES, Template, tokens_visible_in
from fuzz.harness import check, main, text_of, typed_errors_only


def test_one_input(data: bytes) -> None:
    scope = SCOPES[data[0] % len(SCOPES)] if data else "tile"
    text = text_of(data[1:])
    template = None
    with typed_errors_only("Template({})".format(scope), text):
        template = Template(text, scope, "task_template")
    if template is None:
        return
    names = tokens_visible_in(scope)
    check(set(template.tokens) <= set(names), "{!r} kept a token not in scope".format(text))
    itself = {name: "<{}>".format(name) for name in names}
    check(template.render(itself) == text, "{!r} does not render back to itself".format(text))
    render = template.renderer(list(names))
    check(render(*(itself[name] for name in names)) == text, "renderer of {!r}".format(text))
    values = {name: "{%s}" % name for name in names}
    bound = template.bind({name: values[name] for name in names[: len(names) // 2]})
    check(bound.render(values) == template.render(values), "bind then render of {!r}".format(text))


if __name__ == "__main__":
    main(test_one_input)
