"""Pure analysis of the evidence: the Knox near-repeat test, the back-test of the zones and the
calibration of their radius and days. Plain data and numbers in, tables out; no database, file or
clock.

    from cocoon.analysis import KnoxSettings, knox, History, Replay, sensitivity

The frames (`knox_frame`, `backtest_frame`, `sensitivity_frame`, `zones_frame`) need the extra
`analysis` (pandas, geopandas), which they import only when called.
"""

from cocoon.analysis.backtest import Backtest, BacktestSettings, Replay, backtest
from cocoon.analysis.calibrate import SensitivityGrid, sensitivity
from cocoon.analysis.frames import backtest_frame, knox_frame, sensitivity_frame, zones_frame
from cocoon.analysis.knox import KnoxCell, KnoxResult, KnoxSettings, knox
from cocoon.analysis.replay import History, ZoneRules, local_days
from cocoon.analysis.zonemaps import Register

__all__ = [
    "Backtest", "BacktestSettings", "History", "KnoxCell", "KnoxResult", "KnoxSettings",
    "Register", "Replay", "SensitivityGrid", "ZoneRules", "backtest", "backtest_frame", "knox",
    "knox_frame", "local_days", "sensitivity", "sensitivity_frame", "zones_frame",
]  # fmt: skip
