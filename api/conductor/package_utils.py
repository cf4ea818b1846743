"""``merge_package_environments(packages, base_env=...)`` as the seed calls it.

Packages are the dicts ``api_client.request_software_packages()`` returns. Merging follows
``farmhand.core.environment``: ``append``/``prepend`` join path lists, two different
``exclusive`` values for one variable raise ``EnvironmentMergeError`` naming both packages (or
the package and the base environment).
"""

from typing import Any, Dict, Mapping, Optional, Sequence

from farmhand.core import environment


def merge_package_environments(
    packages: Sequence[Mapping[str, Any]], base_env: Optional[Mapping[str, str]] = None
) -> Dict[str, str]:
    """The packages' environments merged onto a copy of ``base_env``."""
    return environment.merge_package_environments(list(packages), base_env=base_env)
