"""The JSON-lines front ends: a machine seat, an evaluator, a headless controller.

One JSON object per line each way (docs/live.md has the protocol with examples):

- out: an event ``{"seq", "type", "t", "role", "payload"}`` (+ ``"inject"``/``"brief"`` where the
  reader is shown them), an acknowledgement ``{"ack", "status", "reason", "seqs"}`` for every
  command line read, a status ``{"status": ...}`` that is not an event;
- in: a command ``{"type": "SendMessage", "to": ["police"], "body": "...", "id": "m-1"}``; the
  ``id`` is the client's idempotency key (made up when absent). A line that is not a JSON object
  with a ``type`` is answered with a rejection at once; anything else goes to the controller,
  which decodes it with the one decoder of commands and answers.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import threading
import uuid
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import IO, Any

from exercise_engine.live.client import Ack, Client, Status
from exercise_engine.store.live import Line

MAX_LINE = 1 << 20
"""Bytes of one command line; longer ones are refused (commands' texts are at most 10,000
characters)."""
MAX_ID = 80
Write = Callable[[str], None]


# -- lines out ----------------------------------------------------------------------------------


def event_line(line: Line) -> str:
    """An event as the reader reads it, written from the stored JSON without re-encoding."""
    role = "null" if line.role is None else json.dumps(line.role)
    text = (
        f'{{"seq":{line.seq},"type":"{line.type}","t":{line.t},"role":{role},'
        f'"payload":{line.payload}'
    )
    if line.extra and len(line.extra) > 2:  # {"inject": ...} or {"brief": ...}: its members
        text += "," + line.extra[1:-1]
    return text + "}"


def ack_line(given: Any, status: str, reason: str | None, seqs: tuple[int, int] | None) -> str:
    data: dict[str, Any] = {"ack": given, "status": status, "reason": reason}
    if seqs is not None:
        data["seqs"] = list(seqs)
    return json.dumps(data, ensure_ascii=False)


def status_line(status: str, **more: Any) -> str:
    return json.dumps({"status": status, **more}, ensure_ascii=False)


# -- lines in -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    given: Any
    """The ``id`` as the client wrote it (echoed in the ack), or the one made for it."""
    key: str
    type: str
    fields: dict[str, Any]


def parse_request(raw: str) -> Request | str:
    """A command line, or the reason it cannot be one."""
    if len(raw) > MAX_LINE:
        return f"the line is longer than {MAX_LINE} bytes"
    try:
        data = json.loads(raw)
    except ValueError as exc:
        return f"not JSON ({exc})"
    if not isinstance(data, dict):
        return 'a command is a JSON object: {"type": ..., its fields..., "id": ...}'
    given = data.pop("id", None)
    if given is not None and (
        not isinstance(given, str | int) or isinstance(given, bool) or len(str(given)) > MAX_ID
    ):
        return f"'id' must be text or a number of at most {MAX_ID} characters"
    kind = data.pop("type", None)
    if not isinstance(kind, str) or not kind:
        return "'type' is required: the command's name (Respond, SendMessage, ShareInformation...)"
    if given is None:
        given = uuid.uuid4().hex
    return Request(given, str(given), kind, data)


def rejected_id(raw: str) -> Any:
    """The ``id`` of a line that could not be parsed as a command, if one can be read."""
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    found = data.get("id") if isinstance(data, dict) else None
    return found if isinstance(found, str | int) and len(str(found)) <= MAX_ID else None


class InputLines:
    """Lines of a file descriptor (standard input), read on a thread of their own and handed
    to the loop; iteration ends at end of file. The thread reads the descriptor itself (no
    Python buffered reader, whose lock a thread blocked in a read would hold at exit)."""

    def __init__(self, fd: int):
        self._fd = fd
        self._queue: asyncio.Queue[str | None] = asyncio.Queue()
        self._loop = asyncio.get_running_loop()
        threading.Thread(target=self._read, daemon=True, name="stdin").start()

    def _read(self) -> None:
        put = self._loop.call_soon_threadsafe
        pending = b""
        dropping = False  # the rest of an oversize line
        try:
            while chunk := os.read(self._fd, 65536):
                pending += chunk
                *complete, pending = pending.split(b"\n")
                for raw in complete:
                    if not dropping:
                        put(self._queue.put_nowait, raw.decode("utf-8", errors="replace"))
                    dropping = False
                if len(pending) > MAX_LINE:
                    put(self._queue.put_nowait, pending[: MAX_LINE + 1].decode(errors="replace"))
                    pending, dropping = b"", True
            if pending and not dropping:
                put(self._queue.put_nowait, pending.decode("utf-8", errors="replace"))
        except (OSError, ValueError):
            pass
        finally:
            put(self._queue.put_nowait, None)

    def close(self) -> None:
        """End the input now (a signal asked the process to finish)."""
        self._queue.put_nowait(None)

    def __aiter__(self) -> AsyncIterator[str]:
        return self._lines()

    async def _lines(self) -> AsyncIterator[str]:
        while (line := await self._queue.get()) is not None:
            yield line


def writer(stream: IO[str]) -> Write:
    def write(text: str) -> None:
        stream.write(text + "\n")
        stream.flush()

    return write


# -- the seat and the evaluator -----------------------------------------------------------------


async def run_client(client: Client, lines: AsyncIterable[str], write: Write) -> int:
    """Follow the log to ``write`` and send each command line to the controller, one ack per
    line; at end of input, wait for the pending acks and leave. Returns the exit code."""
    follow = asyncio.create_task(_follow(client, write))
    acks = await _commands(lines, write, lambda r: client.submit(r.type, r.fields, r.key), follow)
    if acks:
        await asyncio.gather(*acks)
    await client.close()
    await follow
    return 0


async def _follow(client: Client, write: Write) -> None:
    async for item in client:
        write(status_line(item.status) if isinstance(item, Status) else event_line(item))


async def _commands(
    lines: AsyncIterable[str],
    write: Write,
    submit: Callable[[Request], Awaitable[Ack]],
    until: asyncio.Task[None],
) -> list[asyncio.Task[None]]:
    """Read command lines until end of input (or ``until`` finishes: the exercise ended)."""
    pending: list[asyncio.Task[None]] = []

    async def answer(request: Request) -> None:
        ack = await submit(request)
        write(ack_line(request.given, ack.status, ack.reason, ack.seqs))

    iterator = lines.__aiter__()
    while True:
        next_line = asyncio.ensure_future(iterator.__anext__())
        done, _ = await asyncio.wait({next_line, until}, return_when=asyncio.FIRST_COMPLETED)
        if next_line not in done:
            next_line.cancel()
            return pending
        try:
            raw = next_line.result()
        except StopAsyncIteration:
            return pending
        if not raw.strip():
            continue
        request = parse_request(raw)
        if isinstance(request, str):
            write(ack_line(rejected_id(raw), "rejected", request, None))
            continue
        pending.append(asyncio.create_task(answer(request)))


def stdout_writer() -> Write:
    return writer(sys.stdout)
