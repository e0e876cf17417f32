"""Events between the processes of one deployment: comments committed, people's clustering decisions, corrections.

With ``client_manager = "redis"`` every process (each ``tyndau serve``, each ``tyndau ingest``)
publishes on one Redis channel and every server listens, so the process that holds the labeller
lease hears of comments another process stored at once. Redis pub/sub delivers at most once: a
listener that reconnects is told (``on_reconnect``) so it can catch up from the store. Without
Redis there is one process and nothing to send.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from typing import Any, Awaitable, Callable, Mapping

log = logging.getLogger(__name__)
Handler = Callable[[dict[str, Any]], Awaitable[None]]


def channels(prefix: str) -> tuple[str, str]:
    """The Redis channels of a deployment: socket.io's fan-out and this bus."""
    return f"{prefix}:socketio", f"{prefix}:events"


class RedisBus:
    """Publishes events tagged with this process's origin and hands other processes' events to a handler."""

    def __init__(self, url: str, channel: str) -> None:
        self.url = url
        self.channel = channel
        self.origin = uuid.uuid4().hex
        self._redis: Any = None

    def _client(self) -> Any:
        if self._redis is None:
            import redis.asyncio as aioredis

            self._redis = aioredis.Redis.from_url(self.url, socket_connect_timeout=5, socket_keepalive=True)
        return self._redis

    async def publish(self, kind: str, body: Mapping[str, Any]) -> bool:
        """Send one event to every listening process (but this one); False when Redis is away (the sweep catches up)."""
        message = json.dumps({"kind": kind, "origin": self.origin, **body})
        try:
            await self._client().publish(self.channel, message)
        except Exception as exc:  # noqa: BLE001 - at most once by design: the labeller's sweep finds what was missed
            log.warning("could not publish %s on %s: %s", kind, self.channel, exc)
            return False
        return True

    async def listen(self, handler: Handler, on_reconnect: Callable[[], Awaitable[None]] | None = None) -> None:
        """Hand every foreign event to ``handler`` until cancelled; reconnect after a Redis failure."""
        delay = 1.0
        first = True
        while True:
            pubsub = self._client().pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.channel)
                if not first and on_reconnect is not None:
                    await on_reconnect()
                first, delay = False, 1.0
                async for message in pubsub.listen():
                    if message.get("type") != "message":
                        continue
                    try:
                        event = json.loads(message["data"])
                    except (TypeError, ValueError):
                        log.warning("ignored a malformed event on %s", self.channel)
                        continue
                    if isinstance(event, dict) and event.get("origin") != self.origin:
                        try:
                            await handler(event)
                        except Exception:  # noqa: BLE001 - one bad event must not stop the listener
                            log.exception("handling a cluster event failed")
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - Redis went away: retry with back-off
                log.warning("lost the Redis event channel (%s); retrying in %.0f s", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
            finally:
                try:
                    await pubsub.aclose()
                except Exception:  # noqa: BLE001 - closing a broken connection
                    pass

    async def close(self) -> None:
        """Close the connection pool."""
        if self._redis is not None:
            redis, self._redis = self._redis, None
            await redis.aclose()
