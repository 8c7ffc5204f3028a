"""The whole emulated world on loopback: pcscd with the personas' virtual U-KEYs, the five
mock providers and the unlock service, each in its own process.

``Stack.up()`` prepares what is missing (CA master key, test CA, cards, database) under one
home directory, starts the processes, waits for their health checks and records their
PIDs in ``<home>/run/stack.json``; ``Stack.down()`` stops exactly those processes.
``szca-emulator up|down|demo`` and QA's ``--base-url`` runs use it.
"""

from __future__ import annotations

import contextlib
import json
import secrets
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from emulator.master_key import MasterKey
from emulator.personas import Scenario, TestCA, load_scenario
from emulator.personas.issuing import issuer_for
from emulator.ports import LOOPBACK, PortTaken, free_port, require_free
from emulator.scenarios import DEFAULT_SCENARIO
from emulator.servers import ServerStartError
from emulator.virtual_ukey import pcsc, pkcs11_tokens, processes
from emulator.virtual_ukey.state import CardRepository
from emulator.virtual_ukey.world import VirtualUKeyWorld, WorldError
from emulator.world_builder import WorldBuilder
from szca_unlock.logsetup import get_logger
from szca_unlock.private_files import private_dir, write_private
from szca_unlock.store.database import Database
from szca_unlock.unlock import seal_secret

log = get_logger("emulator.stack")


class StackError(RuntimeError):
    """The world could not be started or stopped; the message says what to do."""


@dataclass(frozen=True)
class StackConfig:
    home: Path
    scenario: Path = DEFAULT_SCENARIO
    host: str = LOOPBACK  # every server of a world listens on loopback only
    service_port: int | None = None  # None: a free port, recorded in the home
    providers_port: int | None = None

    @property
    def run_file(self) -> Path:
        return self.home / "run" / "stack.json"


@dataclass
class KeyInfo:
    serial: str
    certificate_serial: str
    kind: str
    holder: str
    pin: str
    reader: str | None = None
    driver: str = "pcsc"  # or "pkcs11": a SoftHSM2 token, never in a reader
    softhsm2_conf: str | None = None  # the SOFTHSM2_CONF that shows a PKCS#11 token


@dataclass
class StackRecord:
    service_url: str
    providers_url: str
    service_pid: int | None = None
    providers_pid: int | None = None
    keys: list[KeyInfo] = field(default_factory=list)
    pcsc_socket: str = ""  # PCSCLITE_CSOCK_NAME of this world's pcscd (its readers)
    instance: str = ""  # SZCA_INSTANCE_ID of its servers: their health answers name it
    service_started: int | None = None  # start times: a reused PID is never taken for ours
    providers_started: int | None = None
    assistant_url: str = ""  # szca-assistant (数字证书管理工具) the pages call
    assistant_pid: int | None = None
    assistant_started: int | None = None

    def servers_alive(self) -> bool:
        return (processes.alive(self.service_pid, self.service_started)
                and processes.alive(self.providers_pid, self.providers_started))


class Stack:
    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.home = config.home
        self.master_key = MasterKey.of_home(self.home)
        self.builder = WorldBuilder(self.home, self.master_key, host=config.host)
        # One holder name per home: `down` from another process leaves as the same holder,
        # and two worlds in different homes (parallel tests) never end each other's pcscd.
        self.world = VirtualUKeyWorld(home=self.home / "ukey",
                                      holder=f"szca-emulator:{self.home.resolve()}")
        self.database_url = self.builder.database_url

    # --- preparation (idempotent) -------------------------------------------------
    def scenario(self) -> Scenario:
        return load_scenario(self.config.scenario)

    def prepare(self) -> tuple[Scenario, list[KeyInfo]]:
        """Test CA, one virtual card per PC/SC persona certificate, one SoftHSM2 token per
        PKCS#11 one, seeded database (with the tokens' sealed SO PINs)."""
        scenario = self.scenario()
        ca = self.builder.test_ca()
        repo = CardRepository(self.home / "ukey")
        ders: dict[str, bytes] = {}
        keys: list[KeyInfo] = []
        for persona in scenario.certificates:
            if persona.driver != "pcsc":
                continue  # PKCS#11 personas: tokens below
            if not repo.exists(persona.key_serial):
                self.world.create_card(persona.key_serial, persona.pin,
                                       issue_certificate=issuer_for(ca, persona),
                                       master_key=self.master_key.value)
            ders[persona.serial_hex] = bytes.fromhex(repo.load(persona.key_serial).cert_der)
            keys.append(KeyInfo(persona.key_serial, persona.serial_hex, persona.kind.label,
                                persona.common_name, persona.pin))
        with self.builder.database() as db:
            sealed = self._prepare_tokens(db, scenario, ca, ders, keys)
            self.builder.seed(db, scenario, ca, ders, sealed_so_pins=sealed)
        position = {p.key_serial: i for i, p in enumerate(scenario.certificates)}
        return scenario, sorted(keys, key=lambda k: position[k.serial])  # as in the scenario

    def _prepare_tokens(self, db: Database, scenario: Scenario, ca: TestCA,
                        ders: dict[str, bytes], keys: list[KeyInfo]) -> dict[str, bytes]:
        """Make the missing PKCS#11 tokens; the SO PINs of new ones, sealed the way the
        service opens them (master key, context = key serial)."""
        serials = [p.key_serial for p in scenario.certificates if p.driver == "pkcs11"]
        try:
            made = pkcs11_tokens.persona_tokens(
                self.home / "ukey", scenario.certificates, ca,
                so_pin_known=pkcs11_tokens.registered_so_pins(db, serials))
        except pkcs11_tokens.TokenError as exc:
            raise StackError(str(exc)) from exc
        sealed: dict[str, bytes] = {}
        for persona, token in made:
            ders[persona.serial_hex] = token.certificate
            keys.append(KeyInfo(persona.key_serial, persona.serial_hex, persona.kind.label,
                                persona.common_name, persona.pin, driver="pkcs11",
                                softhsm2_conf=str(token.conf)))
            if token.so_pin is not None:
                sealed[persona.key_serial] = seal_secret(
                    self.master_key.value, token.so_pin, context=persona.key_serial)
        return sealed

    # --- processes ----------------------------------------------------------------
    def _ports(self) -> tuple[int, int]:
        """The service's and the providers' ports: as configured (checked free now, the
        holder named if not), else free ones the kernel picks."""
        fixed = {"网厅服务": self.config.service_port, "模拟服务商": self.config.providers_port}
        for what, port in fixed.items():
            if port:
                try:
                    require_free(port, what, self.config.host)
                except PortTaken as exc:
                    raise StackError(str(exc)) from None
        service = self.config.service_port or free_port(self.config.host)
        providers = self.config.providers_port or free_port(self.config.host)
        while providers == service:
            providers = free_port(self.config.host)
        return service, providers

    def _server_env(self, record: StackRecord) -> dict[str, str]:
        env = self.builder.service_settings(record.providers_url, record.service_url)
        # The pages call this world's helper, and the helper reads this world's readers.
        env.update({"SZCA_ASSISTANT_URL": record.assistant_url,
                    pcsc.CSOCK_ENV: record.pcsc_socket})
        return env

    def _save(self, record: StackRecord) -> None:
        """Written after every process start, so a ``up`` killed half-way leaves a record
        of what it started for the next ``up``/``down`` of this home to stop."""
        write_private(self.config.run_file,
                      json.dumps(asdict(record), ensure_ascii=False, indent=1))

    def up(self, insert: Sequence[str] = ()) -> StackRecord:
        """Start everything; put the cards whose serials are in ``insert`` into readers
        (``["all"]`` for every card). The others wait for ``szca-ukey insert``, as a user
        inserts one key at a time (C-6). PKCS#11 tokens need no reader: always present."""
        private_dir(self.home)  # the world's home: database, keys, records (0700)
        running = self.running_record()
        if running is not None:
            raise StackError(f"{self.home} 的模拟环境已在运行（网厅 {running.service_url}）；"
                             "先运行 szca-emulator down")
        self.clean_stale()
        service_port, providers_port = self._ports()
        assistant_port = free_port(self.config.host)
        while assistant_port in (service_port, providers_port):
            assistant_port = free_port(self.config.host)
        scenario, keys = self.prepare()
        unknown = set(insert) - {k.serial for k in keys} - {"all"}
        if unknown:
            raise StackError(f"场景中没有这些 U-KEY：{', '.join(sorted(unknown))}")
        host = self.config.host
        record = StackRecord(f"http://{host}:{service_port}", f"http://{host}:{providers_port}",
                             pcsc_socket=str(self.world.socket),
                             instance=secrets.token_hex(8),
                             assistant_url=f"http://{host}:{assistant_port}")
        try:
            self._save(record)
            self.world.start()
            record.keys = keys
            for key in keys:
                if key.driver == "pcsc" and ("all" in insert or key.serial in insert):
                    key.reader = self.world.insert(key.serial, timeout_s=5.0)
            self._save(record)
            records = self.builder.provider_records(scenario)
            env = self._server_env(record)
            providers = self.builder.start_providers(providers_port, records, env=env,
                                                     instance=record.instance)
            record.providers_pid, record.providers_started = providers.pid, providers.started
            self._save(record)
            service = self.builder.start_service(service_port, record.providers_url, env=env,
                                                 instance=record.instance)
            record.service_pid, record.service_started = service.pid, service.started
            self._save(record)
            assistant = self.builder.start_process(
                "assistant", ["-m", "szca_unlock.assistant", "--portal", record.service_url,
                              "--port", str(assistant_port)],
                f"{record.assistant_url}/v1/status", record.assistant_url, env=env,
                instance=record.instance)
            record.assistant_pid, record.assistant_started = assistant.pid, assistant.started
            self._save(record)
        except BaseException as exc:
            self._stop_record(record)
            self.config.run_file.unlink(missing_ok=True)
            if isinstance(exc, WorldError | ServerStartError):
                raise StackError(str(exc)) from exc
            raise
        return record

    def _read_record(self) -> StackRecord | None:
        try:
            raw = json.loads(self.config.run_file.read_text())
        except FileNotFoundError:
            return None
        except ValueError:  # cut short by a crash: nothing in it to stop
            self.config.run_file.unlink(missing_ok=True)
            return None
        raw["keys"] = [KeyInfo(**k) for k in raw.get("keys", [])]
        return StackRecord(**raw)

    def running_record(self) -> StackRecord | None:
        """The record of this home's world when both its servers still run."""
        record = self._read_record()
        if record is None or not record.servers_alive():
            return None
        return record

    def clean_stale(self) -> bool:
        """Stop and forget what a world of this home left behind when it was killed (its
        servers, recorded by PID and start time, its cards, its pcscd); True if any."""
        record = self._read_record()
        if record is None or record.servers_alive():
            return False
        log.warning("cleaning up the world %s left behind (a server of it had died)", self.home)
        self._stop_record(record)
        self.config.run_file.unlink(missing_ok=True)
        return True

    def down(self) -> bool:
        """Stop what ``up`` started from this home (also what a killed ``up`` left
        behind); False when nothing was running."""
        record = self._read_record()
        if record is None:
            return False
        self._stop_record(record)
        self.config.run_file.unlink(missing_ok=True)
        return True

    def _stop_record(self, record: StackRecord) -> None:
        processes.stop(record.assistant_pid, started=record.assistant_started)
        processes.stop(record.service_pid, started=record.service_started)
        processes.stop(record.providers_pid, started=record.providers_started)
        # Take our cards out, then leave the world: pcscd stops when no other holder
        # (a test session, szca-ukey) still uses it.
        for key in record.keys:
            if key.reader:
                with contextlib.suppress(WorldError):
                    self.world.remove(key.serial)
        self.world.stop()
