"""GridMarkets through its Envoy service (the local web service GridMarkets users run):
``envoy_service`` speaks its HTTP API, ``connector`` is Farmhand's ``gridmarkets`` connector.
The seed-style client library is ``farmhand.api.envoy``."""
