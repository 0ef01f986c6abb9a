"""The Qt binding the app runs on keeps Python's None alive.

PySide6 6.12.0 on Python 3.11 drops a reference to None on every call into Qt that returns
nothing (setText, setChecked, QTimer.start, ...): a session of such calls (refilling a 5,000
actor list made 10,000) takes None's count to zero and Python aborts ("none_dealloc"), losing
whatever the window was doing. pyproject.toml keeps PySide6 below 6.12 for that; this test
fails on a binding with the defect (on Python 3.12 and later None is immortal and it passes).
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QCheckBox, QLabel

pytestmark = pytest.mark.gui


def test_calls_into_qt_keep_none_alive(qapp) -> None:
    label, box, timer = QLabel(), QCheckBox(), QTimer()
    before = sys.getrefcount(None)
    for _ in range(500):
        label.setText("Vladivostok")
        box.setChecked(True)
        timer.start(1000)
    timer.stop()
    assert sys.getrefcount(None) >= before - 50  # (other code may drop a few meanwhile)
