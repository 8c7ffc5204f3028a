"""Request limits that several service processes share through a real Redis
(service/shared_limits.py), and the refusal of a multi-process service whose state would
not be shared (service/__main__.py)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import timedelta
from pathlib import Path

import pytest

from szca_unlock.config import ConfigError, Settings
from szca_unlock.domain.rate_limit import Limit, RateLimited
from szca_unlock.service.__main__ import check_workers
from szca_unlock.service.shared_limits import LimitsUnavailable, RedisLimiter

LOGIN = Limit("login", 3, timedelta(minutes=10))
SCRIPTS = Path(__file__).resolve().parents[3] / "scripts"
PrivateRedis = Callable[[Path], AbstractContextManager[str]]


@pytest.fixture
def redis_url(tmp_path: Path, private_redis: PrivateRedis) -> Iterator[str]:
    with private_redis(tmp_path / "redis") as url:
        yield url


def test_two_processes_count_one_client_together(redis_url: str) -> None:
    """What worker A counted, worker B sees: the fourth try is refused wherever it lands."""
    worker_a, worker_b = RedisLimiter(redis_url), RedisLimiter(redis_url)
    worker_a.hit(LOGIN, "192.0.2.7")
    worker_b.hit(LOGIN, "192.0.2.7")
    worker_a.hit(LOGIN, "192.0.2.7")
    with pytest.raises(RateLimited) as refused:
        worker_b.hit(LOGIN, "192.0.2.7")
    assert refused.value.code == "rate_limited"
    assert refused.value.message == "操作过于频繁，请10分钟后再试"
    assert 590 <= refused.value.retry_after <= 600
    worker_b.hit(LOGIN, "198.51.100.1")  # another client is not affected
    worker_a.hit(Limit("lookup", 1, timedelta(minutes=1)), "192.0.2.7")  # nor another limit


def test_reset_forgets_every_count(redis_url: str) -> None:
    limiter = RedisLimiter(redis_url)
    for _ in range(3):
        limiter.hit(LOGIN, "192.0.2.8")
    limiter.reset()
    limiter.hit(LOGIN, "192.0.2.8")


def test_the_server_listens_on_no_tcp_port(redis_url: str) -> None:
    """Its only door is the socket in the world's 0700 directory."""
    socket = Path(redis_url.removeprefix("redis+unix://"))
    assert socket.is_socket() and (socket.parent.stat().st_mode & 0o777) == 0o700
    pid = int((socket.parent / "redis.pid").read_text())
    listening = subprocess.run(["ss", "-ltnpH"], capture_output=True, text=True).stdout
    assert f"pid={pid}," not in listening


def test_a_limit_store_that_went_away_refuses_with_503(tmp_path: Path,
                                                      private_redis: PrivateRedis) -> None:
    """Fail closed: no limit store, no request (nothing counted, nothing done)."""
    with private_redis(tmp_path / "redis") as url:
        limiter = RedisLimiter(url)
        limiter.hit(LOGIN, "192.0.2.9")
    with pytest.raises(LimitsUnavailable) as refused:
        limiter.hit(LOGIN, "192.0.2.9")
    assert refused.value.status == 503 and "请稍后重试" in refused.value.message


def test_a_service_does_not_start_on_a_redis_that_does_not_answer(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"start-redis\.sh"):
        RedisLimiter(f"redis+unix://{tmp_path}/nobody.sock").check()


def test_start_is_idempotent_and_stop_removes(tmp_path: Path,
                                              private_redis: PrivateRedis) -> None:
    directory = tmp_path / "redis"
    with private_redis(directory) as url:
        pid = (directory / "redis.pid").read_text()
        again = subprocess.run(["bash", str(SCRIPTS / "start-redis.sh"), str(directory)],
                               check=True, capture_output=True, text=True).stdout.strip()
        assert again == url and (directory / "redis.pid").read_text() == pid
    assert not directory.exists()


@pytest.mark.parametrize(("database_url", "redis_url", "needs"), [
    ("sqlite:////tmp/szca.db", "redis+unix:///tmp/r.sock", "PostgreSQL"),
    ("postgresql+psycopg://u:p@127.0.0.1/db", "", "SZCA_REDIS_URL"),
])
def test_several_workers_need_shared_state(database_url: str, redis_url: str,
                                           needs: str) -> None:
    settings = Settings(database_url=database_url, redis_url=redis_url)
    check_workers(settings, 1)  # one process: whatever the storage
    with pytest.raises(ConfigError, match=needs):
        check_workers(settings, 2)
    check_workers(Settings(database_url="postgresql+psycopg://u:p@127.0.0.1/db",
                           redis_url="redis+unix:///tmp/r.sock"), 4)
