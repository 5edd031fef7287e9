"""The interface of an SMS backend.

Used as a context manager around one batch: `open()` once (a file, a connection), `send(message)`
per message, `close()`. `send` returns the gateway's reference for the message (or "") and raises
`SmsError` with a Vietnamese message a clerk can act on when this one message did not go; the
caller records it on that message and goes on with the others.
"""

from hoinghi.conferences.sms import Sms


class BaseSmsBackend:
    def __init__(self, **options) -> None:
        self.options = options

    def open(self) -> None:
        """Get ready to send a batch (nothing by default)."""

    def close(self) -> None:
        """The batch is over (nothing by default)."""

    def send(self, message: Sms) -> str:
        raise NotImplementedError

    def __enter__(self):
        self.open()
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
