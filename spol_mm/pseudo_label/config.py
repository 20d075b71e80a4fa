"""Settings of the GPPL pseudo-label generator (paper Sec. 3.4 and 4.2)."""
from dataclasses import asdict, dataclass, fields
from typing import Any, Dict, Tuple, Union
from spol_mm.utils.checks import check_choice

MODES = ('paper', 'released')
FG_READINGS = ('moments', 'binarize', 'off')

# Label values written to the pseudo-label PNGs.
FOREGROUND = 1
BACKGROUND = 0
IGNORE_INDEX = 255


@dataclass(frozen=True)
class GPPLConfig:
    """Everything that decides the pseudo labels made from a CAM.

    Args:
        mode (str): How the Gaussian prior is made.

            - ``'paper'`` (default, Eq. 5-6): one Gaussian whose moments are
              the CAM-weighted mean, variances and correlation of the pixel
              coordinates.
            - ``'released'``: the authors' code: one Gaussian per connected
              region of the CAM band ``released_band`` (regions with a
              contour area below ``released_min_area`` px skipped), its
              variances and covariance divided by ``released_var_scale``,
              max over regions. (Their code thresholds at 0.25 / 0.01; set
              ``fg_thr`` / ``bg_thr`` for that.)
        fg_reading (str): Reading of the paper's "during Gaussian
            enhancement, we regard values larger than 0.7 as the
            foreground" (``mode='paper'`` only; 0.7 = ``fg_reading_thr``).

            - ``'off'`` (default): moments over all pixels, nothing else.
              Chosen by measurement (``tools/ablation.py --groups gppl``,
              the numbers in docs/ablation.md): its Gaussian spreads over
              the whole CAM instead of its > 0.7 core, so it labels more of
              the object as foreground.
            - ``'moments'``: the moments are taken only over pixels whose
              normalised CAM is > 0.7 (weights = the CAM there).
            - ``'binarize'``: the enhanced map max(CAM, Gaussian) has its
              values > 0.7 set to 1 (moments over all pixels). Note: with
              ``fg_thr <= 0.7`` this changes no label, so it then equals
              ``'off'``.
        fg_reading_thr (float): The 0.7 above.
        fg_thr (float): Enhanced value ``>= fg_thr`` -> foreground (1).
        bg_thr (float): Enhanced value ``< bg_thr`` -> background (0);
            the rest is ignored (255). The default is the paper's 0.004;
            the Lite0 configs use 0.2, chosen on `val` (with 0.004 the
            Gaussian's tail leaves most pixels ignored, and MFF-Net2 then
            calls them foreground: configs/spol/README.md, "Stage 2").
        use_gaussian (bool): False = Table 4's "w/o Gaussian": the enhanced
            map is the CAM itself (``mode`` and ``fg_reading`` unused).
        use_threshold (bool): False = Table 4's "w/o threshold", read as a
            single threshold: ``>= fg_thr`` foreground, everything else
            background, nothing ignored (``bg_thr`` unused).
        var_eps (float): Floor of the variances, in pixels^2. The default
            1/12 is the variance of a uniform distribution over one pixel:
            a CAM with a single active pixel gives a Gaussian that is 1 on
            that pixel and exp(-6) ~ 0.0025 on its 4-neighbours.
        rho_eps (float): The correlation is clamped to
            ``[-(1 - rho_eps), 1 - rho_eps]`` (collinear active pixels give
            |rho| = 1, where Eq. 6 divides by zero).
        released_band (tuple[float, float]): CAM band of ``'released'``.
        released_min_area (float): Smallest region (``cv2.contourArea``).
        released_var_scale (float): Divisor of the region's (co)variances.
    """

    mode: str = 'paper'
    fg_reading: str = 'off'
    fg_reading_thr: float = 0.7
    fg_thr: float = 0.5
    bg_thr: float = 0.004
    use_gaussian: bool = True
    use_threshold: bool = True
    var_eps: float = 1. / 12
    rho_eps: float = 1e-3
    released_band: Tuple[float, float] = (0.1, 0.5)
    released_min_area: float = 20.
    released_var_scale: float = 10.

    def __post_init__(self) -> None:
        check_choice('GPPLConfig.mode', self.mode, MODES)
        check_choice('GPPLConfig.fg_reading', self.fg_reading, FG_READINGS)
        if not 0 <= self.bg_thr <= self.fg_thr:
            raise ValueError('GPPLConfig needs 0 <= bg_thr <= fg_thr, got '
                             f'bg_thr={self.bg_thr}, fg_thr={self.fg_thr}')
        if self.var_eps <= 0:
            raise ValueError(f'GPPLConfig.var_eps must be > 0, got '
                             f'{self.var_eps}')
        if not 0 < self.rho_eps <= 1:
            raise ValueError(f'GPPLConfig.rho_eps must be in (0, 1], got '
                             f'{self.rho_eps}')
        low, high = self.released_band
        if not low <= high:
            raise ValueError('GPPLConfig.released_band must be (low, high) '
                             f'with low <= high, got {self.released_band}')
        if self.released_var_scale <= 0:
            raise ValueError('GPPLConfig.released_var_scale must be > 0, got '
                             f'{self.released_var_scale}')
        # Configs give lists; keep the frozen dataclass hashable.
        object.__setattr__(self, 'released_band', (float(low), float(high)))

    @classmethod
    def build(cls,
              cfg: Union['GPPLConfig', Dict[str, Any], None] = None,
              **overrides: Any) -> 'GPPLConfig':
        """A config from another one, a dict or nothing, plus overrides.

        Args:
            cfg (GPPLConfig | dict | None): The base settings.
            **overrides: Fields to change.

        Returns:
            GPPLConfig: The merged settings.
        """
        base: Dict[str, Any] = {}
        if isinstance(cfg, GPPLConfig):
            base = cfg.to_dict()
        elif cfg is not None:
            base = dict(cfg)
        base.update(overrides)
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(base) - known)
        if unknown:
            raise TypeError(f'unknown GPPL setting(s) {unknown}; known: '
                            f'{sorted(known)}')
        return cls(**base)

    def to_dict(self) -> Dict[str, Any]:
        """The settings as a JSON-friendly dict (tuples become lists)."""
        out = asdict(self)
        out['released_band'] = list(self.released_band)
        return out
