"""Token exchange: the API key for a signed JWT (ciocore's ``get_api_key_bearer_token``)."""

import time
from typing import Dict

from aiohttp import web

from farmhand.farm import tokens
from farmhand.farm.context import context_of
from farmhand.farm.errors import RequestError, UnauthorizedError
from farmhand.farm.http_util import API_KEY, auth, json_response

routes = web.RouteTableDef()


async def _fields(request: web.Request) -> Dict[str, str]:
    fields = dict(request.query)
    if request.method == "POST" and request.can_read_body:
        form = await request.post()
        fields.update({k: str(v) for k, v in form.items()})
    return fields


@routes.get("/api/oauth_jwt")
@routes.post("/api/oauth_jwt")
@auth(API_KEY)
async def oauth_jwt(request: web.Request) -> web.Response:
    context = context_of(request)
    fields = await _fields(request)
    grant = fields.get("grant_type", "client_credentials")
    if grant != "client_credentials":
        raise RequestError(
            "unsupported grant_type {!r}; this farm issues client_credentials tokens".format(grant),
            field="grant_type",
        )
    client_id = fields.get("client_id", "")
    secret = fields.get("client_secret", "")
    if not client_id or not secret:
        raise UnauthorizedError(
            "client_id and client_secret (the API key's private_key) are required"
        )
    if not context.api_key.matches(client_id, secret):
        raise UnauthorizedError("unknown API key client_id {!r} for this farm".format(client_id))
    token = tokens.issue(
        context.secret,
        audience=context.base_url(request),
        account=context.account,
        subject=client_id,
        lifetime=context.token_lifetime,
        now=time.time(),
    )
    return json_response(
        {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": context.token_lifetime,
            "scope": "owner admin user",
        }
    )


def setup(app: web.Application) -> None:
    app.router.add_routes(routes)
