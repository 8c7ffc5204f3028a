"""``szca``: the unlock service from a terminal, as a user would drive it (the CLI stands
in for the browser and the CA driver tool).

    szca login 13800138000            # the SMS code is read from stdin (or --code)
    szca lookup 5A1C0E2B7D3F0001
    szca unlock 5A1C0E2B7D3F0001 --mode realtime --operator-method carrier ...
    szca orders
    szca key-unlock JS202611260001    # asks the new PIN twice (or --new-pin)
    szca manual JS202611260001        # manual review: see ``manual``
    szca staff-login reviewer1        # CA staff: see ``staff``

One module per audience: ``applicant`` (login, lookup, real-time unlock, orders, the key),
``manual`` (the manual-review pages), ``staff`` (the review queue); ``session`` keeps the
login and the console shared by all three; ``parser`` puts them together.
"""

from szca_unlock.cli.parser import build_parser, main

__all__ = ["build_parser", "main"]
