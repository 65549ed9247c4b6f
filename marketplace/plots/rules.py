"""The figures plot validation and retention use, read from settings (each has its source there).

Kept in this small module rather than in the readiness app's ``ReadinessRule`` so plots do not
depend on readiness (readiness depends on plots). Read at call time, so a test or an operator's
settings change applies without a restart of the import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings


@dataclass(frozen=True)
class PlotRules:
    #: Plots of this area or more need a polygon (EUDR Art. 2(28)).
    point_max_area_ha: Decimal
    #: Decimal places each coordinate must carry (EU Information System).
    coordinate_decimals: int
    #: Allowed difference between the polygon's geodesic area and the declared area, percent.
    area_tolerance_percent: Decimal
    #: Years a plot is kept after its soft delete (EUDR Art. 12(3)).
    retention_years: int
    #: No deforestation after this day (EUDR Art. 2(13)).
    deforestation_cutoff: date


def current() -> PlotRules:
    return PlotRules(
        point_max_area_ha=Decimal(str(getattr(settings, "PLOTS_POINT_MAX_AREA_HA", "4"))),
        coordinate_decimals=int(getattr(settings, "PLOTS_COORDINATE_DECIMALS", 6)),
        area_tolerance_percent=Decimal(
            str(getattr(settings, "PLOTS_AREA_TOLERANCE_PERCENT", "10"))
        ),
        retention_years=int(getattr(settings, "PLOTS_RETENTION_YEARS", 5)),
        deforestation_cutoff=date.fromisoformat(
            str(getattr(settings, "PLOTS_DEFORESTATION_CUTOFF", "2020-12-31"))
        ),
    )
