"""The seed's Python submission API over Farmhand, so its scripts run with one import changed.

``from farmhand.api.conductor import conductor_submit, package_utils, api_client``:
``conductor_submit.Submit(args).main()``, ``package_utils.merge_package_environments`` and
``api_client.request_software_packages()`` keep the seed's names and argument names (both the
seed's ``machine_flavor`` + ``cores`` and ciocore's current ``instance_type``); underneath they
are ``farmhand.core.job`` and the farm connectors. ``farm_link`` is the one place that talks to
a farm.
"""
