"""The local farm: the embedded default farm that runs tasks on this workstation.

An HTTP service on 127.0.0.1 speaking the protocol of Conductor's client library (see
``docs/protocol.md``), with its record in SQLite, uploads in a content-addressed store and
tasks run as subprocesses, all under ``$FARMHAND_HOME/farm``. Clients reach it with
``farmhand.farm.control.ensure_running() -> (url, api_key_json)``; the shell with
``farmhand farm start|stop|status|credentials|serve``. Never imported by code a host loads.
"""
