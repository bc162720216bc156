"""Logging filters: a bad Host header is a one-line warning, at most a few a minute, not a traceback."""

import logging
import threading
import time


class DisallowedHostFilter(logging.Filter):
    """Turn Django's DisallowedHost error (a traceback of about 1 KB, once per request) into one WARNING
    line, and let at most `per_minute` through each minute; the next line let through says how many were
    dropped. Scanners send made-up Host headers all day: each is a client's mistake, not the site's."""

    def __init__(self, per_minute: int = 5, clock=time.monotonic):
        super().__init__()
        self.per_minute = per_minute
        self.clock = clock
        self._lock = threading.Lock()
        self._window_start = None
        self._in_window = 0
        self._dropped = 0

    def filter(self, record: logging.LogRecord) -> bool:
        with self._lock:
            now = self.clock()
            if self._window_start is None or now - self._window_start >= 60:
                self._window_start, self._in_window = now, 0
            if self._in_window >= self.per_minute:
                self._dropped += 1
                return False
            self._in_window += 1
            dropped, self._dropped = self._dropped, 0
        record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        record.exc_info = record.exc_text = record.stack_info = None
        if dropped:
            record.msg = f"{record.getMessage()} ({dropped} more like it not logged)"
            record.args = None
        return True
