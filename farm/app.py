"""The farm's aiohttp application: authentication, error answers, and the route modules.

Routes live in one module per group (``farmhand.farm.routes.*``), each with a ``setup(app)``
function; ``ROUTE_MODULES`` lists them explicitly so a broken module fails at start-up and a
new front end (the Tractor spool route) is added by one line.
"""

import importlib
import logging
from typing import Any, Dict, Sequence

from aiohttp import web

from farmhand.core.errors import FarmhandError
from farmhand.farm import tokens
from farmhand.farm.context import CONTEXT, FarmContext, context_of
from farmhand.farm.errors import UnauthorizedError, field_of, status_of
from farmhand.farm.http_util import AUTH_ATTRIBUTE, BEARER, Handler, error_response
from farmhand.farm.payload import MAX_BODY_BYTES

log = logging.getLogger("farmhand.farm")

ROUTE_MODULES = (
    "farmhand.farm.routes.auth",
    "farmhand.farm.routes.catalogue",
    "farmhand.farm.routes.files",
    "farmhand.farm.routes.upload_daemon",
    "farmhand.farm.routes.jobs",
    "farmhand.farm.routes.actions",
    "farmhand.farm.routes.logs",
    "farmhand.farm.routes.downloads",
    "farmhand.farm.routes.status",
    "farmhand.farm.routes.budgets",
    "farmhand.farm.tractor.spool_route",
)


def bearer_claims(request: web.Request) -> Dict[str, Any]:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise UnauthorizedError(
            "missing 'Authorization: Bearer <token>'; exchange the API key at /api/oauth_jwt"
        )
    return tokens.decode(token.strip(), context_of(request).secret)


@web.middleware
async def errors_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except FarmhandError as error:
        status = status_of(error)
        if status >= 500:
            log.exception("%s %s failed", request.method, request.path)
        message = getattr(error, "message", None) if status == 400 else None
        response = error_response(str(message or error), status, field_of(error))
        retry_after = getattr(error, "retry_after", None)
        if retry_after is not None:
            response.headers["Retry-After"] = str(retry_after)
        return response
    except web.HTTPRequestEntityTooLarge as error:
        return error_response("the request body is too large ({})".format(error.text), 400, "body")
    except web.HTTPException as error:
        if error.status >= 400:
            reason = (
                error.text
                if error.text and not error.text.startswith(str(error.status))
                else "{} {}".format(request.method, request.path)
            )
            if error.status == 404:
                reason = "no such route: {} {}".format(request.method, request.path)
            elif error.status == 405:
                reason = "{} is not allowed on {}".format(request.method, request.path)
            return error_response(reason, error.status)
        raise
    except Exception:
        log.exception("%s %s failed", request.method, request.path)
        return error_response(
            "internal error in the farm; see its log ({})".format(
                context_of(request).paths.serve_log
            ),
            500,
        )


@web.middleware
async def auth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    kind = getattr(request.match_info.handler, AUTH_ATTRIBUTE, BEARER)
    if kind == BEARER:
        request["claims"] = bearer_claims(request)
    return await handler(request)


def create_app(context: FarmContext, extra_modules: Sequence[str] = ()) -> web.Application:
    app = web.Application(
        middlewares=[errors_middleware, auth_middleware], client_max_size=MAX_BODY_BYTES + 1
    )
    app[CONTEXT] = context
    for name in tuple(ROUTE_MODULES) + tuple(extra_modules):
        importlib.import_module(name).setup(app)
    return app
