"""Pure cost arithmetic: no files, no network, no clock. Broadcasts over numpy arrays of volumes and inputs."""

from costcalc.engine.api import ApiRates, api_monthly
from costcalc.engine.breakeven import BreakEven, break_even_volume, break_even_volumes
from costcalc.engine.self_hosted import SelfHostedPlan, self_hosted_monthly
from costcalc.engine.shape import RequestShape

__all__ = [
    "ApiRates",
    "BreakEven",
    "RequestShape",
    "SelfHostedPlan",
    "api_monthly",
    "break_even_volume",
    "break_even_volumes",
    "self_hosted_monthly",
]
