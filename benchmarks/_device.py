"""A check-in device's connection for the replay: HTTP/1.1 keep-alive by h11 over asyncio streams.

The 364 devices of the replay run in the benchmark's process, on the two cores the server and
PostgreSQL need. Through httpx a request cost the client about 2.5 ms of CPU (its pools,
transports and models), a third of what the server spent answering it; h11 (the HTTP/1.1 state
machine under httpx) over a plain stream does the same exchange for a fraction of that, so the
replay measures the server more than its own clients. One request at a time per device, as the
check-in page sends them.
"""

import asyncio
import json
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import h11


class Device:
    def __init__(self, url: str, *, cookies: dict[str, str], headers: dict[str, str]):
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port or 80
        cookie = SimpleCookie()
        for name, value in cookies.items():
            cookie[name] = value
        self.headers = [
            ("Host", f"{self.host}:{self.port}"),
            ("Cookie", "; ".join(f"{name}={morsel.value}" for name, morsel in cookie.items())),
            ("Content-Type", "application/json"),
            *headers.items(),
        ]
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.connection: h11.Connection | None = None

    async def post_json(self, path: str, payload) -> tuple[int, object]:
        """POST `payload` as JSON; the status and the decoded answer. Raises ConnectionError
        when the server closed the connection (an idle keep-alive): the caller sends again."""
        if self.writer is None or self.connection.our_state is not h11.IDLE or self.reader.at_eof():
            # None yet, or one the server closed while it was idle (its keep-alive ran out): a
            # new one, as a browser or httpx opens before sending on a closed connection.
            await self._connect()
        body = json.dumps(payload).encode()
        request = h11.Request(
            method="POST", target=path, headers=[*self.headers, ("Content-Length", str(len(body)))]
        )
        try:
            self.writer.write(
                self.connection.send(request)
                + self.connection.send(h11.Data(data=body))
                + self.connection.send(h11.EndOfMessage())
            )
            status, chunks = await self._answer()
        except (ConnectionError, h11.RemoteProtocolError, asyncio.IncompleteReadError) as error:
            await self.aclose()
            raise ConnectionError(repr(error)) from error
        if self.connection.our_state is h11.MUST_CLOSE or self.connection.their_state is h11.MUST_CLOSE:
            await self.aclose()
        else:
            self.connection.start_next_cycle()
        return status, json.loads(b"".join(chunks)) if chunks else None

    async def _answer(self) -> tuple[int, list[bytes]]:
        status, chunks = 0, []
        while True:
            event = self.connection.next_event()
            if event is h11.NEED_DATA:
                data = await self.reader.read(65536)
                if not data and self.connection.their_state is not h11.DONE:
                    raise ConnectionError("the server closed the connection")
                self.connection.receive_data(data)
            elif isinstance(event, h11.Response):
                status = event.status_code
            elif isinstance(event, h11.Data):
                chunks.append(bytes(event.data))
            elif isinstance(event, (h11.EndOfMessage, h11.ConnectionClosed)):
                return status, chunks

    async def _connect(self) -> None:
        await self.aclose()
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.connection = h11.Connection(h11.CLIENT)

    async def aclose(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except ConnectionError:
                pass
        self.reader = self.writer = self.connection = None
