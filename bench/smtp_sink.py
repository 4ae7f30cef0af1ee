"""An SMTP server that counts and drops what it receives, in a process of its own, so that
it takes no CPU time from the measured worker's process. Imports nothing of the app: the
spawned process starts fast."""

import multiprocessing
import socket


def _serve(port_pipe, stop_event, count) -> None:
    from aiosmtpd.controller import Controller

    class Counting:
        async def handle_DATA(self, server, session, envelope):
            with count.get_lock():
                count.value += 1
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    port_pipe.send(port)
    stop_event.wait()
    controller.stop()


class SMTPSink:
    """`with SMTPSink() as sink:` a server on 127.0.0.1:`sink.port`; `sink.count.value` mails."""

    def __enter__(self):
        context = multiprocessing.get_context("spawn")
        self.count = context.Value("i", 0)
        self.stop = context.Event()
        receiver, sender = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_serve, args=(sender, self.stop, self.count), daemon=True
        )
        self.process.start()
        self.port = receiver.recv()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.process.join(timeout=10)
