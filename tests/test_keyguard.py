"""Wrong editor keys lock a session and a client for a growing time (clock injected, no waiting)."""

from __future__ import annotations

import pytest

from geo.progress.keyguard import FORGET_AFTER_S, MAX_DELAY_S, KeyGuard, lock_delay_s
from geo.progress.settings import EDITOR_KEY_MIN_CHARS, editor_key_too_short

SESSION, CLIENT = "session a", "client 203.0.113.7"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def guard(clock) -> KeyGuard:
    return KeyGuard(clock=clock)


def _wrong(guard: KeyGuard, *subjects: str) -> tuple[str, float]:
    return guard.attempt(subjects or (SESSION, CLIENT), lambda: False)


def test_two_typos_are_free_then_each_wrong_key_doubles_the_lock(guard, clock):
    assert _wrong(guard) == ("wrong", 0.0)
    assert _wrong(guard) == ("wrong", 0.0)
    waits = []
    for _ in range(12):
        verdict, wait = _wrong(guard)
        assert verdict == "wrong"
        waits.append(wait)
        clock.now += wait
    assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, MAX_DELAY_S, MAX_DELAY_S]


def test_twenty_wrong_keys_from_one_client_take_at_least_a_minute(guard, clock):
    started, tried = clock.now, 0
    while tried < 20:
        # An attacker trying again the moment the lock ends, from a new session each time.
        wait = guard.wait_s(f"session {tried}", CLIENT)
        clock.now += wait
        verdict, _ = _wrong(guard, f"session {tried}", CLIENT)
        assert verdict == "wrong"
        tried += 1
    assert clock.now - started >= 60
    assert guard.failures(CLIENT) == 20


def test_the_right_key_is_refused_while_locked_and_not_even_compared(guard, clock):
    for _ in range(4):
        clock.now += guard.wait_s(SESSION, CLIENT)
        _wrong(guard)
    assert _wrong(guard)[0] == "locked" and guard.failures(CLIENT) == 4  # a try while locked is not counted
    compared = []
    verdict, wait = guard.attempt((SESSION, CLIENT), lambda: compared.append(1) or True)
    assert verdict == "locked" and wait == pytest.approx(2.0) and compared == []
    clock.now += 2
    assert guard.attempt((SESSION, CLIENT), lambda: True) == ("right", 0.0)
    assert guard.failures(SESSION) == guard.failures(CLIENT) == 0


def test_a_lock_holds_for_every_session_of_the_client_and_for_the_session_on_any_address(guard):
    for _ in range(3):
        _wrong(guard)
    assert guard.wait_s("session new", CLIENT) == pytest.approx(1.0)
    assert guard.wait_s(SESSION, "client 198.51.100.1") == pytest.approx(1.0)
    assert guard.wait_s("session new", "client 198.51.100.1") == 0


def test_a_quiet_hour_forgets_the_wrong_keys(guard, clock):
    for _ in range(5):
        clock.now += guard.wait_s(SESSION, CLIENT)
        _wrong(guard)
    clock.now += guard.wait_s(SESSION, CLIENT) + FORGET_AFTER_S
    assert guard.failures(CLIENT) == 0
    assert _wrong(guard) == ("wrong", 0.0)


def test_the_table_stays_bounded_under_a_flood_of_addresses(clock):
    guard = KeyGuard(clock=clock, max_subjects=50)
    for n in range(1000):
        guard.failed(f"client 10.0.{n // 256}.{n % 256}")
    assert len(guard) == 50
    assert guard.failures("client 10.0.3.231") == 1  # the most recent are kept


def test_delays_and_the_minimum_key_length():
    assert [lock_delay_s(n) for n in range(1, 6)] == [0, 0, 1, 2, 4]
    assert lock_delay_s(100) == MAX_DELAY_S
    assert EDITOR_KEY_MIN_CHARS == 16
    assert editor_key_too_short("x" * 15) and not editor_key_too_short("x" * 16)
    assert not editor_key_too_short("规划监测办公室共享的十六个字密钥")  # characters, not bytes
