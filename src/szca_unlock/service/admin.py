"""Administrator commands on the service's database (run where the service runs, with its
environment: ``DATABASE_URL``/``SZCA_HOME``).

    python -m szca_unlock.service.admin unlock-staff USERNAME
"""

from __future__ import annotations

import argparse
import sys

from szca_unlock.config import Settings
from szca_unlock.service.logic.staff_login import unlock_staff
from szca_unlock.store.database import Database
from szca_unlock.store.errors import NotFound
from szca_unlock.store.migrate import upgrade_to_head


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m szca_unlock.service.admin",
                                     description="深圳CA网上营业厅：管理员操作")
    commands = parser.add_subparsers(dest="command", required=True)
    unlock = commands.add_parser("unlock-staff", help="解锁因连续密码错误被锁定的审核人员账号")
    unlock.add_argument("username")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    upgrade_to_head(settings.database_url, master_key=settings.master_key)
    database = Database(settings.database_url, master_key=settings.master_key)
    try:
        with database.session() as db:
            was_locked = unlock_staff(db, args.username)
    except NotFound:
        print(f"没有用户名为 {args.username} 的审核人员账号", file=sys.stderr)
        return 2
    finally:
        database.dispose()
    print(f"账号 {args.username} 已解锁" if was_locked else f"账号 {args.username} 未被锁定")
    return 0


if __name__ == "__main__":
    sys.exit(main())
