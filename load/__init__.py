"""Load tests of the unlock service: Locust user classes per flow, load shapes, the world
they run against (service + mock providers + personas, loopback only), the runner and the
report summary. See load/README.md."""
