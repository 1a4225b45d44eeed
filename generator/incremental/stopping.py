"""How a run stops from outside: Ctrl-C and SIGTERM end it where it is, without a
traceback, and no worker process outlives it, however it ends (SIGKILL included)."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
# prctl(2): the signal a process gets when its parent ends.
_PR_SET_PDEATHSIG = 1

# The process whose handlers raise Stopped; a process forked from it exits instead.
_main_process = 0
# The last stop signal this process got: a loop that swallows the exception (watchfiles')
# still knows why it ended.
_requested: int | None = None

# The signals a thread blocks, as `signal.pthread_sigmask` gives them.
SignalMask = set[int | signal.Signals]


class Stopped(BaseException):
    """Ctrl-C or a termination request: the run ends where it is, without a traceback
    (a BaseException, which no handler of an ordinary error catches)."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.signal = number

    @property
    def name(self) -> str:
        return signal.Signals(self.signal).name

    @property
    def exit_code(self) -> int:
        """What a shell reports for a process ended by this signal: 130, 143."""
        return 128 + self.signal


def _stop(number: int, _: object) -> None:
    global _requested
    if os.getpid() != _main_process:  # forked before it set a worker's handlers
        os._exit(128 + number)
    _requested = number
    raise Stopped(number)


def install() -> None:
    """Make SIGINT and SIGTERM raise Stopped in this process."""
    global _main_process, _requested
    _main_process, _requested = os.getpid(), None
    for number in STOP_SIGNALS:
        signal.signal(number, _stop)
    sys.unraisablehook = _quiet_about_stops


def _quiet_about_stops(unraisable: sys.UnraisableHookArgs) -> None:
    """Python's report of an exception it ignores, except a stop's: the run reports that."""
    if not isinstance(unraisable.exc_value, Stopped):
        sys.__unraisablehook__(unraisable)


def requested() -> Stopped | None:
    """The stop this process was asked for, if any: where a signal's exception was raised
    in code that Python runs without a caller (a finalizer), it was printed and ignored."""
    return None if _requested is None else Stopped(_requested)


def raise_if_requested() -> None:
    """Raise Stopped if a stop signal arrived: for code that a signal's exception cannot
    leave (a native loop that catches it and just returns)."""
    if (stop := requested()) is not None:
        raise stop


@contextmanager
def held() -> Iterator[SignalMask | None]:
    """SIGINT and SIGTERM wait until the block ends (they are delivered then): a process
    forked inside it starts with them blocked too, so that no stop lands between the fork
    and the moment the child knows to die with its parent. Gives the mask to restore in
    such a child (None where signals cannot be blocked)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield None
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield previous
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def become_worker(parent: int, mask: SignalMask | None) -> None:
    """In a worker just forked inside `held`: leave Ctrl-C to the parent (which stops the
    run and then the workers), end on SIGTERM, end when `parent` ends even if it was
    killed, and only then take signals again."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        import ctypes

        with suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent ended before the death signal was set
        os._exit(0)
    if mask is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def exit_code(command: Callable[[], object]) -> object:
    """Run `command` to its end and give its exit code (`SystemExit`'s), or the code of the
    stop signal that ended it, or that came while it finished (said on stderr)."""
    try:
        command()
        code: object = 0
    except SystemExit as stop:
        code = stop.code
    except Stopped as stop:
        code = _said(stop)
    if code in (0, None) and (ignored := requested()) is not None:
        code = _said(ignored)  # it finished, but was asked to stop: say so
    return code


def _said(stop: Stopped) -> int:
    """Say the stop, and what the writer noted of where it left OUTPUT (`generator.write.files`)."""
    print(f"docs2models: stopped by {stop.name}", file=sys.stderr)
    for note in getattr(stop, "__notes__", ()):
        print(note, file=sys.stderr)
    return stop.exit_code
