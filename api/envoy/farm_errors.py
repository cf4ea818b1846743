"""Farmhand's errors from the local farm, as the seed's four error types."""

import contextlib
from typing import Iterator

from farmhand.api.envoy.errors import APIError, AuthenticationError, InvalidRequestError
from farmhand.core.errors import (
    CancelledError,
    FarmAuthError,
    FarmConnectionError,
    InputError,
)


@contextlib.contextmanager
def seed_errors() -> Iterator[None]:
    """Refused credentials are ``AuthenticationError``, bad input (the farm's 400s
    included, with their field) ``InvalidRequestError``, anything else from the farm
    ``APIError``."""
    try:
        yield
    except FarmAuthError as error:
        raise AuthenticationError(str(error), error.status) from None
    except InvalidRequestError:
        raise
    except InputError as error:
        status = getattr(error, "status", None)
        raise InvalidRequestError(error.message, error.field, http_status=status) from None
    except FarmConnectionError as error:
        raise APIError(str(error), error.status) from None
    except CancelledError as error:
        raise APIError(str(error)) from None
