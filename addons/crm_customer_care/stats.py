"""Small, dependency-free statistics for the figures managers read.

Student's t distribution (through the regularised incomplete beta
function), Welch's two-sample interval and the p-value of a Pearson
correlation, and the stable holdout draw every experiment uses (relationship
programmes, call campaigns). scipy is not a dependency: these are the textbook formulas
(Numerical Recipes' continued fraction for the incomplete beta), exact to
about 1e-10, which the tests check against published table values.
"""

import hashlib
import math


def _beta_cf(a, b, x):
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def betainc(a, b, x):
    """Regularised incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_cf(a, b, x) / a
    return 1.0 - front * _beta_cf(b, a, 1.0 - x) / b


def t_cdf(t, df):
    """P(T <= t) for Student's t with ``df`` (real, > 0) degrees of freedom."""
    x = df / (df + t * t)
    tail = 0.5 * betainc(df / 2.0, 0.5, x)
    return 1.0 - tail if t > 0 else tail


def t_ppf(p, df):
    """The ``p`` quantile of Student's t (bisection on the CDF, 1e-12)."""
    if not 0.0 < p < 1.0:
        raise ValueError("p must be in (0, 1)")
    low, high = -1.0, 1.0
    while t_cdf(low, df) > p:
        low *= 2.0
    while t_cdf(high, df) < p:
        high *= 2.0
    for _i in range(200):
        mid = (low + high) / 2.0
        if t_cdf(mid, df) < p:
            low = mid
        else:
            high = mid
        if high - low < 1e-12:
            break
    return (low + high) / 2.0


def welch_interval(n1, mean1, var1, n2, mean2, var2, confidence=0.95):
    """Welch's interval of ``mean1 - mean2`` from two samples' size, mean and
    sample variance (n - 1 in the denominator).

    Returns ``(difference, low, high, df)``, or None when it is undefined
    (fewer than two observations in a group, or both variances zero).
    Degrees of freedom by Welch-Satterthwaite::

        se² = v1/n1 + v2/n2
        df  = se⁴ / ((v1/n1)²/(n1-1) + (v2/n2)²/(n2-1))
    """
    if n1 < 2 or n2 < 2:
        return None
    a, b = var1 / n1, var2 / n2
    se2 = a + b
    if se2 <= 0:
        return None
    df = se2 * se2 / (a * a / (n1 - 1) + b * b / (n2 - 1))
    half = t_ppf(1 - (1 - confidence) / 2, df) * math.sqrt(se2)
    diff = mean1 - mean2
    return diff, diff - half, diff + half, df


def correlation_p_value(r, n):
    """Two-sided p-value of a Pearson correlation ``r`` over ``n`` pairs
    (t = r·√((n-2)/(1-r²)), n-2 degrees of freedom); None if undefined."""
    if r is None or n is None or n < 3:
        return None
    if abs(r) >= 1.0:
        return 0.0
    t = r * math.sqrt((n - 2) / (1 - r * r))
    return 2.0 * (1.0 - t_cdf(abs(t), n - 2))


def holdout_fraction(seed, key):
    """A stable number in [0, 1) for (seed, key): the same unit (a partner
    id, or ``"lead-<id>"``) always falls on the same side of the holdout
    line for a given seed, whoever is added or removed later."""
    digest = hashlib.sha256(f"{seed}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def draw_holdout(seed, percent, strata):
    """The held-out keys of ``strata`` (``{stratum: [key, ...]}``): in each
    stratum, the ``percent`` share (rounded half up) of its keys with the
    lowest :func:`holdout_fraction` for ``seed``. The same seed and
    population always give the same holdout.

    E.g. 10 % of a stratum of 15 keys holds out round(1.5) = 2 keys; of a
    stratum of 4 keys, round(0.4) = 0."""
    share = percent / 100.0
    held = set()
    for keys in strata.values():
        size = math.floor(share * len(keys) + 0.5)
        ranked = sorted(keys, key=lambda key: (holdout_fraction(seed, key), key))
        held.update(ranked[:size])
    return held
