"""The agent as its own process, for kill tests: one unlock of an in-process virtual card
kept on disk, recorded in a receipt store. Not a test module.

    python unlock_agent_process.py SERVICE_URL TOKEN CARDS_DIR KEY_SERIAL ORDER PIN RECEIPTS_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from emulator.testing.keys import InProcessConnection
from emulator.virtual_ukey import factory as card_os
from emulator.virtual_ukey.state import CardRepository
from szca_unlock.client.unlock import HttpUnlockServiceClient
from szca_unlock.ukey import UnlockAgent
from szca_unlock.ukey.pcsc import PcscDriver
from szca_unlock.ukey.receipts import ReceiptStore


def main(argv: list[str]) -> int:
    url, token, cards, serial, order_no, pin, receipts = argv
    repo = CardRepository(Path(cards))
    driver = PcscDriver(reader_names=lambda: ["in-process"],
                        connect=lambda _: InProcessConnection(card_os.open_card(serial, repo)))
    client = HttpUnlockServiceClient(url, token, timeout_s=600)
    result = UnlockAgent(client, driver, ReceiptStore(Path(receipts))).unlock(
        order_no, new_pin=pin, confirm_pin=pin, expected_key_serial=serial)
    print(result.order_state)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
