"""The project's pytest plugin (entry point ``pytest11: szca``).

Fixtures live next to what they start; this module only gathers them so that any
test suite (ours, or QA's own: docs/testing.md) gets them by installing the distribution:

* virtual U-KEYs and the pcscd + vpcd world: ``ukey_home``, ``ukey_master_key``,
  ``ukey_key_store``, ``ukey_issuer``, ``ukey_card_factory``, ``ukey_world``,
  ``ukey_inserted_card``, and the autouse ``ukey_pcsc_binding`` (this process's PC/SC
  clients talk to its own world);
* the mock identity providers over real HTTP: ``mock_providers_server``,
  ``mock_providers`` (a ``ProviderControl``, world reset around each test),
  ``mock_provider_endpoints``;
* the service and its world (emulator/testing): ``scenario``, ``test_ca``,
  ``migrated_template_db``, ``template_db``, ``service_host``, ``clock``, ``service``,
  ``api_factory``, ``api``, ``locked_key``, ``pcsc_locked_key``;
* the portal's pages with the certificate helper (emulator/testing/portal.py):
  ``assistant_host``, ``portal``.
"""

from __future__ import annotations

from importlib.util import find_spec

import pytest

# pytest loads this plugin in any environment that has the distribution, also one with the
# product alone (no ``[emulator]`` extra): there it says what is missing instead of
# stopping every pytest run with an ImportError.
EMULATOR_MODULES = ("yaml", "faker")  # what the fixtures need beyond the product
MISSING = [name for name in EMULATOR_MODULES if find_spec(name) is None]

if MISSING:
    def pytest_configure(config: pytest.Config) -> None:
        config.issue_config_time_warning(pytest.PytestConfigWarning(
            f"the szca fixtures need the emulator extra (missing: {', '.join(MISSING)}): "
            "pip install 'szca-unlock[emulator]'"), stacklevel=2)
else:
    from emulator.mock_providers.fixtures import (  # noqa: F401  (re-exported fixtures)
        mock_provider_endpoints,
        mock_providers,
        mock_providers_server,
    )
    from emulator.testing.fixtures import (  # noqa: F401  (re-exported fixtures)
        api,
        api_factory,
        clock,
        locked_key,
        migrated_template_db,
        pcsc_locked_key,
        scenario,
        service,
        service_host,
        template_db,
        test_ca,
    )
    from emulator.testing.portal import assistant_host, portal  # noqa: F401  (re-exported fixtures)
    from emulator.virtual_ukey.fixtures import (  # noqa: F401  (re-exported fixtures)
        ukey_card_factory,
        ukey_home,
        ukey_inserted_card,
        ukey_issuer,
        ukey_key_store,
        ukey_master_key,
        ukey_pcsc_binding,
        ukey_world,
    )
