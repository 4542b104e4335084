"""How ``python -m geo`` ends when something goes wrong: one line on stderr, a status.

Every error line of the command line is printed here (:func:`say_error`), stripped of control
characters, so echoed input such as ``$'\\e[2J'`` cannot clear the screen. Bad requests are exit 2,
argparse's complaints included (:class:`OneLineParser`: one line instead of a usage block). What is
left are interruptions and the environment: Ctrl-C (130), SIGTERM (143; scratch is removed on the
way out), a closed pipe such as ``| head`` (141), a name the file system or the terminal cannot
take, a full disk (2). None of them deserves a traceback.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from geo.cliformat import terminal_text
from geo.errors import Terminated
from geo.outfiles import terminate_like_interrupt

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


def say_error(message: object, *, prefix: str = "error: ") -> None:
    """Print one error line on stderr, control characters removed."""
    try:
        print(prefix + terminal_text(message), file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass  # stderr itself is gone: the exit status has to speak


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose complaints are one line and exit 2, pointing at ``--help``.

    Sub-command parsers are made of the same class (argparse uses the parent's class), so every
    level of ``python -m geo`` answers alike.
    """

    def error(self, message: str) -> NoReturn:
        say_error(f"{message}; see {self.prog} --help", prefix="geo: error: ")
        raise SystemExit(EXIT_USAGE)


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
        say_error("interrupted")
        return EXIT_INTERRUPTED
    except Terminated:
        say_error("terminated")
        return EXIT_TERMINATED
    except BrokenPipeError:
        _silence_stdout()
        say_error("output closed before the command finished (broken pipe)")
        return EXIT_BROKEN_PIPE
    except UnicodeError:
        say_error("a name or an argument is not valid UTF-8 text")
        return EXIT_USAGE
    except OSError as exc:
        what = OS_ERRORS.get(exc.errno or 0, exc.strerror or type(exc).__name__)
        where = f" ({_printable(exc.filename)})" if exc.filename else ""
        if exc.errno == errno.ENOSPC and exc.filename is None:
            _silence_stdout()
        say_error(f"{what}{where}")
        return EXIT_USAGE
