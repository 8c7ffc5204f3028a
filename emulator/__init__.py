"""Stand-ins for the outside world: virtual U-KEYs and mock identity providers.

The product (`szca_unlock`) never imports this package; tests and `szca-emulator`
wire the two together.
"""
