"""One way to start the world for tests: the building blocks behind the project plugin's
fixtures (emulator/pytest_plugin.py, docs/testing.md).

* ``service_host`` — the service on a loopback uvicorn server whose app is swapped per test;
* ``databases`` — a migrated (and optionally seeded) template database, copied per test;
* ``keys`` — "a locked virtual U-KEY for this persona certificate", in-process or through
  pcscd + vpcd;
* ``clock`` — a fake clock the service reads (fixed, or real time plus an offset);
* ``api`` — the user's raw HTTP session against the service and the real-time flows;
* ``fixtures`` — the pytest fixtures made of the above.
"""
