from leaderboards.models.fit import Fit, FitRating, FitStatus

__all__ = ["Fit", "FitRating", "FitStatus"]
