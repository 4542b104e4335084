"""How ``python -m geo`` ends when something outside the request goes wrong: one line, a status.

The subcommands report bad requests themselves (exit 2). What is left are interruptions and the
environment: Ctrl-C (130), SIGTERM (143; scratch is removed on the way out), a closed pipe such as
``| head`` (141), a name the file system or the terminal cannot take, a full disk (2). None of
them deserves a traceback.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable, Sequence

from geo.outfiles import Terminated, terminate_like_interrupt

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE
EXIT_TERMINATED = 143  # 128 + SIGTERM

OS_ERRORS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EFBIG: "the file is too large for this file system or limit",
    errno.ENAMETOOLONG: "the file name is too long",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
}


def _say(message: str) -> None:
    try:
        print(f"error: {message}", file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass  # stderr itself is gone: the exit status has to speak


def _printable(value: object) -> str:
    """A file name as text a terminal can show: undecodable bytes as \\xNN, no control characters."""
    text = os.fsdecode(value) if isinstance(value, bytes) else str(value)
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def _silence_stdout() -> None:
    # Python flushes stdout again at exit; point it at /dev/null so that flush cannot fail too.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def run(main: Callable[[Sequence[str] | None], int], argv: Sequence[str] | None = None) -> int:
    """Run the command line's ``main`` and turn interruptions and OS failures into one line."""
    terminate_like_interrupt()
    try:
        status = main(argv)
        sys.stdout.flush()
        return status
    except KeyboardInterrupt:
        _say("interrupted")
        return EXIT_INTERRUPTED
    except Terminated:
        _say("terminated")
        return EXIT_TERMINATED
    except BrokenPipeError:
        _silence_stdout()
        _say("output closed before the command finished (broken pipe)")
        return EXIT_BROKEN_PIPE
    except UnicodeError:
        _say("a name or an argument is not valid UTF-8 text")
        return EXIT_USAGE
    except OSError as exc:
        what = OS_ERRORS.get(exc.errno or 0, exc.strerror or type(exc).__name__)
        where = f" ({_printable(exc.filename)})" if exc.filename else ""
        if exc.errno == errno.ENOSPC and exc.filename is None:
            _silence_stdout()
        _say(f"{what}{where}")
        return EXIT_USAGE
