"""`rasa <command>` with seven costs of Rasa 3.6 removed (the answers stay the same) and CORS exact.

1. Loading a DIET model, Rasa builds its weights by training it on one example with
   `model.fit` in graph mode, which traces the whole training step (gradients and
   optimizer) into a TensorFlow graph: on this machine 40-50 s of the start and 430 MB of
   every Rasa process, for a graph that is never used again. Here that one step runs
   eagerly (the `run_eagerly` switch Rasa offers for training) and prediction is switched
   back to a compiled graph before the trained weights are loaded: the same variables,
   the same weights, the same predictions (tests/e2e/test_rasa_server.py compares every
   parse of the evaluation questions), loaded in about 10 s and 680 MB.
2. Rasa checks each answer of the action server with `jsonschema.validate(result,
   schema)`, which first checks the schema itself against the JSON Schema meta-schema:
   25 ms of every turn here, about half of a whole answer. Here the schema is checked
   once and its compiled validator reused; an invalid action result is still rejected.

3. Every turn, Rasa's SQL tracker store counts the conversation's stored events (a second
   query beside the one that loaded them) to know which events are new, and every event
   read back looks its class up by scanning all Event subclasses. Here the store
   remembers how many events it loaded into the tracker, and the classes are looked up in
   a table: about a tenth of a turn under load. tests/e2e/test_production.py checks that
   every event of 500 concurrent turns is stored once, in order.

4. With several Sanic workers (SANIC_WORKERS), Sanic 21.12 forks them onto one shared
   listening socket, and whichever worker wakes first accepts a whole burst of new
   connections and keeps them: with 50 visitors one worker often did two thirds of the work
   (measured per worker: 10.2 s of CPU against 3.5 s; 44 messages/s, against 81 when the
   split was even). Here each worker listens on its own SO_REUSEPORT socket, so the kernel
   spreads new connections evenly. Each worker also serves the app on a private port of
   127.0.0.1 and knows its number and every worker's port (channels.workers), so the web
   chat can send a socket.io request to the worker that holds its session. The sockets of
   the shared port are opened here, before the fork, each handed to its worker. Once the
   workers are started, the parent process replaces itself with server/supervise.py, which
   keeps every one of those sockets open (so a worker's death closes none, and refuses no
   connection), passes stops on, starts a worker that ended again and gives its 330 MB back.
   A worker started again runs this same command with supervise.RESTART_ENV set: it serves
   at once as that worker (its number, its private port, its socket), without forking.

5. Rasa's SQL tracker store opens the embedded SQLite file (`make run`'s default) with
   SQLite's defaults: a rollback journal, and an fsync at every commit, two or more per turn
   (5% of a turn under load). Here SQLite connections are opened as stores.sqlite says:
   write-ahead logging with synchronous=NORMAL (durability and its limit are explained
   there). Other databases are untouched.

6. Rasa hands `--cors` to Sanic-Cors, which matches a pattern-like origin without anchoring
   it (CVE-2026-37737). Here `--cors` takes exact origins only (channels.origins): a pattern
   or "*" stops the start-up with an error, and each origin is matched whole.

7. Rasa 3.6 runs custom actions only in a separate action server: every action posts the
   whole tracker and domain as JSON over HTTP to a second process, which parses them back,
   and that process must be started, watched and sized beside the Rasa server. Here, as Rasa
   Pro does with `actions_module`, an action endpoint with `actions_module: actions` and no
   `url` (endpoints.yml) runs the actions in each Rasa process, with rasa_sdk's own executor
   (ActionExecutor.register_package, loaded once per process, when the model is). Only the
   request is replaced: RemoteAction.run builds the same payload and handles the answer as
   before (validation, bot messages, events, followups). The payload and the answer are
   copied through JSON, so an action gets exactly what it got over HTTP and shares no object
   with Rasa, and failures take the action server's status codes: a rejection is a 400 (Rasa
   lets another policy choose), an unknown action a 404 and an exception in an action a 500
   (Rasa logs it and carries on; the visitor gets the apology of channels.guard). An endpoint
   with a `url` still goes over HTTP (endpoints.production.yml). tests/e2e/test_actions.py
   compares both paths on the evaluation questions.

8. Rasa's SQL tracker store makes its engine with SQLAlchemy 1.4's defaults, which for a SQLite
   file are a NullPool: every session (two or more a turn) opened the file, set it up
   (patch 5) and closed it again, 9% of a worker's CPU under load (py-spy, 50 visitors).
   Here a SQLite file's engine keeps its connections in a QueuePool, as SQLAlchemy 2.0 does
   by default (with check_same_thread off, as it does too): the same queries on the same
   file, each session still ends its transaction (SQLAlchemy rolls a connection back when it
   goes back to the pool), so a session sees what other workers committed. Other databases
   are untouched. tests/server/test_rasa_server.py checks the pool and that two stores on
   one file see each other's turns.

`server/serve.py` starts the Rasa server through this file, and `make` runs `rasa test`
and `rasa shell` through it. Training (`rasa train`) is left as it is.
"""

import asyncio
import ctypes
import itertools
import json
import logging
import multiprocessing
import os
import signal
import socket
import sqlite3
import sys
from functools import lru_cache, partial
from ipaddress import ip_address
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence, Type

import jsonschema
import rasa.core.run
import rasa.core.tracker_store
import rasa.server
import sanic.app
import tensorflow as tf
from rasa.core.actions.action import RemoteAction
from rasa.core.agent import Agent
from rasa.core.tracker_store import SQLTrackerStore
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import ClientResponseError, EndpointConfig
from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException
from sanic.server import Signal, runners
from sanic.server.events import trigger_events
from sanic_cors import CORS
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import QueuePool

from channels.origins import cors_patterns, exact_origins
from channels.workers import PORTS_ENV, WORKER_ENV
from server.supervise import RESTART_ENV
from stores.sqlite import write_ahead

logger = logging.getLogger(__name__)


def load_model(
    cls: type,
    model_file_name: str,
    model_data_example: RasaModelData,
    predict_data_example: Optional[RasaModelData] = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> RasaModel:
    """RasaModel.load with the weight-building training step run eagerly."""
    model = cls(*args, **kwargs)
    config = kwargs.get("config", {})
    model.compile(optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)), run_eagerly=True)
    model.fit(RasaBatchDataGenerator(model_data_example, batch_size=1), verbose=False)
    model.run_eagerly = config.get(RUN_EAGERLY)  # predictions run as a compiled graph again
    model.load_weights(model_file_name)
    if not finetune_mode and predict_data_example:
        model.run_inference(predict_data_example)  # traces the prediction graph now, not on turn 1
    return model


@lru_cache(maxsize=1)
def action_result_validator() -> Any:
    """The validator of Rasa's action-result schema, built (and its schema checked) once."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result with the compiled validator."""
    error = jsonschema.exceptions.best_match(action_result_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response "
            "from the Action endpoint is valid."
        )
        raise error
    return True


ACTIONS_MODULE = "actions_module"  # the action endpoint's key naming the package of actions


def actions_module(endpoint: Optional[EndpointConfig]) -> Optional[str]:
    """The package whose actions run in this process: the endpoint's `actions_module`, unless
    it has a `url` (then the actions run in the action server there)."""
    if endpoint is None or endpoint.url:
        return None
    return endpoint.kwargs.get(ACTIONS_MODULE) or None


@lru_cache(maxsize=None)
def action_executor(package: str) -> ActionExecutor:
    """rasa_sdk's executor with every action of `package` registered, made once per process."""
    executor = ActionExecutor()
    executor.register_package(package)
    logger.info("Custom actions of %r run in this process (%d actions)", package, len(executor.actions))
    return executor


async def run_actions(package: str, action_call: Dict[str, Any]) -> Any:
    """What the action server's webhook answers to `action_call`, computed in this process: the
    result as JSON would bring it back, or its error status as Rasa's ClientResponseError."""
    call = json.loads(json.dumps(action_call))  # the action's own copy, in JSON's types
    try:
        result = json.dumps(await action_executor(package).run(call))
    except ActionExecutionRejection as error:  # the action server's 400
        logger.debug(error)
        body = {"error": error.message, "action_name": error.action_name}
        raise ClientResponseError(400, "Bad Request", json.dumps(body)) from error
    except ActionNotFoundException as error:  # its 404
        logger.error(error)
        body = {"error": error.message, "action_name": error.action_name}
        raise ClientResponseError(404, "Not Found", json.dumps(body)) from error
    except Exception as error:  # its 500, with the traceback in the log as Sanic writes it
        logger.exception("Exception in custom action %r", call.get("next_action"))
        raise ClientResponseError(500, "Internal Server Error", type(error).__name__) from error
    return json.loads(result)


_rasa_request = EndpointConfig.request


async def request(
    self: EndpointConfig,
    method: str = "post",
    subpath: Optional[str] = None,
    content_type: Optional[str] = "application/json",
    compress: bool = False,
    **kwargs: Any,
) -> Any:
    """EndpointConfig.request; an action endpoint with `actions_module` and no url runs the
    action call (RemoteAction.run's `json`) in this process instead of posting it."""
    package = actions_module(self)
    if package is None:
        return await _rasa_request(self, method, subpath, content_type, compress, **kwargs)
    return await run_actions(package, kwargs["json"])


_rasa_load_agent_on_start = rasa.core.run.load_agent_on_start


async def load_agent_on_start(
    model_path: str,
    endpoints: AvailableEndpoints,
    remote_storage: Optional[str],
    app: sanic.Sanic,
    loop: asyncio.AbstractEventLoop,
) -> Agent:
    """rasa.core.run.load_agent_on_start, then the in-process actions (not on the first turn)."""
    agent = await _rasa_load_agent_on_start(model_path, endpoints, remote_storage, app, loop)
    package = actions_module(endpoints.action)
    if package is not None:
        action_executor(package)
    return agent


_rasa_retrieve = SQLTrackerStore._retrieve
_rasa_additional_events = SQLTrackerStore._additional_events
STORED = "_events_in_store"  # tracker attribute: how many of its events the store holds


async def retrieve(
    self: SQLTrackerStore, sender_id: str, fetch_events_from_all_sessions: bool
) -> Optional[DialogueStateTracker]:
    """SQLTrackerStore._retrieve, remembering how many stored events the tracker holds."""
    tracker = await _rasa_retrieve(self, sender_id, fetch_events_from_all_sessions)
    if tracker is not None and not fetch_events_from_all_sessions:
        setattr(tracker, STORED, len(tracker.events))
    return tracker


def additional_events(self: SQLTrackerStore, session: Any, tracker: DialogueStateTracker) -> Iterator:
    """The tracker's events not yet stored: counted by retrieve, else by Rasa's query."""
    stored = getattr(tracker, STORED, None)
    new = (
        itertools.islice(tracker.events, stored, len(tracker.events))
        if stored is not None
        else _rasa_additional_events(self, session, tracker)
    )
    setattr(tracker, STORED, len(tracker.events))
    return new


@lru_cache(maxsize=None)
def event_classes() -> Dict[str, Type[Event]]:
    """Every concrete Event class by its type name (all are defined when Rasa is imported)."""
    return {cls.type_name: cls for cls in reversed(all_subclasses(Event))}


def resolve_by_type(type_name: str, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    """Event.resolve_by_type from the table; unknown names go to Rasa's own lookup."""
    found = event_classes().get(type_name)
    return found if found is not None else _rasa_resolve_by_type(type_name, default)


_rasa_resolve_by_type = Event.resolve_by_type


_sanic_serve_multiple = runners.serve_multiple
SUPERVISOR = Path(__file__).resolve().parent / "supervise.py"
PR_SET_PDEATHSIG = 1  # prctl option: the signal a process gets when its parent dies


def serve_workers(server_settings: Dict[str, Any], workers: int) -> None:
    """Sanic's serve_multiple with one SO_REUSEPORT listening socket per worker."""
    if server_settings.get("sock") is not None or server_settings.get("unix"):
        return _sanic_serve_multiple(server_settings, workers)
    server_settings.update(run_multiple=True)
    server_settings.pop("sock", None)  # each worker's own (shared_socket)
    main_start = server_settings.pop("main_start", None)
    main_stop = server_settings.pop("main_stop", None)
    restart = os.environ.pop(RESTART_ENV, None)
    if restart is not None:  # started by the supervisor in place of a worker that ended
        index, ports, fd = restart.split()
        private_port = int(ports.split(",")[int(index)])
        shared = socket.socket(fileno=int(fd))
        shared.set_inheritable(False)
        return serve_worker(int(index), ports, private_socket(private_port), shared, server_settings)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    trigger_events(main_start, loop)
    processes: List[multiprocessing.Process] = []

    def stop(signum: int, frame: Any) -> None:
        for process in processes:
            os.kill(process.pid, signal.SIGTERM)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    context = multiprocessing.get_context("fork")
    private = [private_socket() for _ in range(workers)]
    shared = [shared_socket(server_settings["host"], server_settings["port"]) for _ in range(workers)]
    ports = ",".join(str(sock.getsockname()[1]) for sock in private)
    for index in range(workers):
        process = context.Process(
            target=serve_worker,
            args=(index, ports, private[index], shared[index], server_settings, private + shared),
            daemon=True,
        )
        process.start()
        processes.append(process)
    if not main_stop:  # Rasa has none; with one, this process must stay to run it
        sys.stdout.flush()
        sys.stderr.flush()
        pids = ",".join(str(process.pid) for process in processes)
        again = [sys.executable, "-m", "server.rasa_server", *sys.argv[1:]]  # a worker started again
        for sock in shared:
            sock.set_inheritable(True)  # the supervisor holds them (the private ones close)
        sockets = ",".join(str(sock.fileno()) for sock in shared)
        os.execv(
            sys.executable,
            [
                sys.executable,
                str(SUPERVISOR),
                "--ports",
                ports,
                "--sockets",
                sockets,
                "--pids",
                pids,
                "--",
                *again,
            ],
        )
    for process in processes:
        process.join()
    trigger_events(main_stop, loop)
    loop.close()
    return None


def private_socket(port: int = 0) -> socket.socket:
    """A listening socket on `port` of 127.0.0.1 (by default a free one), for one worker."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a dead worker's port, at once
    sock.bind(("127.0.0.1", port))
    sock.listen(100)
    return sock


def shared_socket(host: str, port: int) -> socket.socket:
    """One worker's listening socket of the shared port (Sanic's bind_socket, with SO_REUSEPORT:
    the kernel spreads new connections over the workers' sockets)."""
    try:
        family = socket.AF_INET6 if ip_address(host).version == 6 else socket.AF_INET
    except ValueError:  # a host name
        family = socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(100)
    return sock


def serve_worker(
    index: int,
    ports: str,
    private: socket.socket,
    shared: socket.socket,
    server_settings: Dict[str, Any],
    inherited: Sequence[socket.socket] = (),
) -> None:
    """One Sanic worker: the app on its socket of the shared port and on its private port. The
    other workers' sockets, `inherited` from the fork, are closed: a worker started again in
    place of one that ended must be able to listen on that one's private port, and a dead
    worker's socket of the shared port must be the supervisor's alone."""
    for sock in inherited:
        if sock is not private and sock is not shared:
            sock.close()
    # The parent's SIGTERM handler (stop the workers) must not be this worker's: a worker
    # still loading its model when told to stop would ignore it and run on. And a worker
    # never outlives its parent (killed after a stop timeout, say).
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    os.environ[WORKER_ENV], os.environ[PORTS_ENV] = str(index), ports
    app = server_settings["app"]
    servers: List[asyncio.AbstractServer] = []

    async def serve_privately(app: sanic.Sanic, loop: asyncio.AbstractEventLoop) -> None:
        protocol = server_settings.get("protocol") or runners.HttpProtocol
        factory = partial(
            protocol,
            loop=loop,
            connections=set(),
            signal=Signal(),
            app=app,
            state=None,
            unix=None,
            **runners._build_protocol_kwargs(protocol, app.config),
        )
        servers.append(await loop.create_server(factory, sock=private))

    async def stop_privately(app: sanic.Sanic, loop: asyncio.AbstractEventLoop) -> None:
        for server in servers:
            server.close()

    app.register_listener(serve_privately, "before_server_start")
    app.register_listener(stop_privately, "before_server_stop")
    runners.serve(**server_settings, sock=shared)


def sqlite_write_ahead(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLAlchemy's connect event: a new SQLite connection opened as stores.sqlite says."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        write_ahead(dbapi_connection)


_rasa_create_engine_kwargs = rasa.core.tracker_store.create_engine_kwargs


def create_engine_kwargs(url: Any) -> Dict[str, Any]:
    """rasa.core.tracker_store.create_engine_kwargs; a SQLite file's connections are pooled."""
    kwargs = _rasa_create_engine_kwargs(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        kwargs.setdefault("poolclass", QueuePool)
        kwargs.setdefault("connect_args", {}).setdefault("check_same_thread", False)
    return kwargs


def configure_cors(app: sanic.Sanic, cors_origins: Any = "") -> None:
    """rasa.server.configure_cors with exact origins only; SystemExit names a bad one."""
    try:
        origins = exact_origins(cors_origins)
    except ValueError as error:
        raise SystemExit(f"error: --cors: {error}") from None
    app.config.CORS_AUTOMATIC_OPTIONS = True
    app.config.CORS_SUPPORTS_CREDENTIALS = True
    app.config.CORS_EXPOSE_HEADERS = "filename"
    CORS(app, resources={r"/*": {"origins": cors_patterns(origins)}}, automatic_options=True)


def apply() -> None:
    """Install the changes in Rasa."""
    RasaModel.load = classmethod(load_model)
    RemoteAction._validate_action_result = validate_action_result
    EndpointConfig.request = request
    rasa.core.run.load_agent_on_start = load_agent_on_start  # serve_application looks it up there
    SQLTrackerStore._retrieve = retrieve
    SQLTrackerStore._additional_events = additional_events
    Event.resolve_by_type = staticmethod(resolve_by_type)
    sanic.app.serve_multiple = serve_workers  # what Sanic.run calls with workers > 1
    rasa.server.configure_cors = configure_cors  # rasa.core.run calls it through the module
    rasa.core.tracker_store.create_engine_kwargs = create_engine_kwargs  # SQLTrackerStore looks it up there
    if not event.contains(Engine, "connect", sqlite_write_ahead):
        event.listen(Engine, "connect", sqlite_write_ahead)  # every engine made from now on


if __name__ == "__main__":
    apply()
    from rasa.__main__ import main

    sys.exit(main())
