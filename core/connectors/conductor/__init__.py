"""The Conductor protocol's client, which reaches both the local farm and any
Conductor-compatible service (docs/protocol.md): ``credentials`` (API keys), ``transport``
(HTTP, token exchange, typed errors), ``uploads`` (send only what the farm lacks),
``records`` (job and task records as ``JobInfo``/``TaskInfo``) and ``connector`` (the
``Connector`` built from them)."""
