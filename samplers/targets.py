"""Targets with exact results (scores, normalising constants, laws), so no trained network is needed.

- :class:`GaussianMixture`: data distribution of the continuous diffusion
  samplers. Under the Ornstein-Uhlenbeck forward process
  dX = -X dt + sqrt(2) dW every marginal p_t is again a Gaussian mixture, which
  gives the exact score at every noise level, and a linear-Gaussian likelihood
  gives a Gaussian-mixture posterior with a closed-form evidence.
- :class:`UnnormalizedTarget` and :class:`GinzburgLandauChain`: energies for
  annealed importance sampling with a known normalising constant (exactly, or
  by a transfer-matrix quadrature).
- :class:`BirthDeathChain`: an enumerable discrete diffusion with exact
  marginals and exact reverse rates.

All computations use float64.
"""

import math
from typing import Optional

import torch

DTYPE = torch.float64
LOG_2PI = math.log(2.0 * math.pi)


class GaussianMixture:
    """Mixture sum_k w_k N(mean_k, cov_k) in ``dim`` dimensions."""

    def __init__(self, weights, means, covs):
        self.weights = torch.as_tensor(weights, dtype=DTYPE)
        self.weights = self.weights / self.weights.sum()
        self.means = torch.as_tensor(means, dtype=DTYPE)
        self.covs = torch.as_tensor(covs, dtype=DTYPE)
        if self.means.dim() != 2 or self.covs.shape != self.means.shape + (self.means.shape[1],):
            raise ValueError(f"invalid mixture shapes: means {tuple(self.means.shape)} must be (K, d) "
                             f"and covs {tuple(self.covs.shape)} must be (K, d, d)")
        self.cholesky = torch.linalg.cholesky(self.covs)
        self.precisions = torch.cholesky_inverse(self.cholesky)
        self.log_dets = 2.0 * torch.log(torch.diagonal(self.cholesky, dim1=-2, dim2=-1)).sum(-1)

    @property
    def dim(self) -> int:
        return self.means.shape[1]

    @classmethod
    def isotropic(cls, weights, means, std):
        means = torch.as_tensor(means, dtype=DTYPE)
        k, d = means.shape
        return cls(weights, means, (float(std) ** 2) * torch.eye(d, dtype=DTYPE).expand(k, d, d).clone())

    def to(self, device) -> "GaussianMixture":
        moved = GaussianMixture.__new__(GaussianMixture)
        for name in ("weights", "means", "covs", "cholesky", "precisions", "log_dets"):
            setattr(moved, name, getattr(self, name).to(device))
        return moved

    def component_log_probs(self, x: torch.Tensor) -> torch.Tensor:
        """Return log w_k + log N(x; mean_k, cov_k) with shape (n, K)."""
        diff = x.unsqueeze(1) - self.means.unsqueeze(0)
        maha = torch.einsum("nki,kij,nkj->nk", diff, self.precisions, diff)
        return torch.log(self.weights) - 0.5 * (self.dim * LOG_2PI + self.log_dets + maha)

    def log_prob(self, x: torch.Tensor) -> torch.Tensor:
        return torch.logsumexp(self.component_log_probs(x), dim=1)

    def responsibilities(self, x: torch.Tensor) -> torch.Tensor:
        return torch.softmax(self.component_log_probs(x), dim=1)

    def score(self, x: torch.Tensor) -> torch.Tensor:
        """Return grad log p(x) = -sum_k r_k(x) cov_k^{-1} (x - mean_k)."""
        diff = x.unsqueeze(1) - self.means.unsqueeze(0)
        pulls = torch.einsum("kij,nkj->nki", self.precisions, diff)
        return -(self.responsibilities(x).unsqueeze(-1) * pulls).sum(1)

    def mean(self) -> torch.Tensor:
        return (self.weights.unsqueeze(1) * self.means).sum(0)

    def covariance(self) -> torch.Tensor:
        centered = self.means - self.mean()
        between = torch.einsum("k,ki,kj->ij", self.weights, centered, centered)
        return (self.weights.reshape(-1, 1, 1) * self.covs).sum(0) + between

    def sample(self, n: int, generator: torch.Generator) -> torch.Tensor:
        device = self.means.device
        uniforms = torch.rand(n, generator=generator, device=device, dtype=DTYPE)
        labels = torch.searchsorted(torch.cumsum(self.weights, 0), uniforms).clamp_(max=len(self.weights) - 1)
        noise = torch.randn(n, self.dim, generator=generator, device=device, dtype=DTYPE)
        return self.means[labels] + torch.einsum("nij,nj->ni", self.cholesky[labels], noise)

    def ou_marginal(self, t: float) -> "GaussianMixture":
        """Return p_t for the forward process dX = -X dt + sqrt(2) dW started at this mixture.

        Component k becomes N(e^{-t} mean_k, e^{-2t} cov_k + (1 - e^{-2t}) I).
        """
        decay = math.exp(-t)
        eye = torch.eye(self.dim, dtype=DTYPE, device=self.means.device)
        covs = decay ** 2 * self.covs + (1.0 - decay ** 2) * eye
        return GaussianMixture(self.weights, decay * self.means, covs)

    def linear_gaussian_posterior(self, forward_matrix, observation, noise_std: float):
        """Return (posterior mixture, log evidence) for y = A x + noise_std * N(0, I).

        Each component updates like a Kalman filter, and its weight is scaled by
        the component evidence N(y; A mean_k, A cov_k A^T + noise_std^2 I).
        """
        a = torch.as_tensor(forward_matrix, dtype=DTYPE, device=self.means.device)
        y = torch.as_tensor(observation, dtype=DTYPE, device=self.means.device)
        eye_y = torch.eye(a.shape[0], dtype=DTYPE, device=a.device)
        innovation_covs = a @ self.covs @ a.T + noise_std ** 2 * eye_y
        gains = self.covs @ a.T @ torch.linalg.inv(innovation_covs)
        residuals = y - self.means @ a.T
        post_means = self.means + torch.einsum("kij,kj->ki", gains, residuals)
        post_covs = self.covs - gains @ a @ self.covs
        post_covs = 0.5 * (post_covs + post_covs.transpose(-1, -2))
        chol = torch.linalg.cholesky(innovation_covs)
        solved = torch.cholesky_solve(residuals.unsqueeze(-1), chol).squeeze(-1)
        log_dets = 2.0 * torch.log(torch.diagonal(chol, dim1=-2, dim2=-1)).sum(-1)
        log_component_evidence = -0.5 * (a.shape[0] * LOG_2PI + log_dets + (residuals * solved).sum(-1))
        log_joint = torch.log(self.weights) + log_component_evidence
        log_evidence = torch.logsumexp(log_joint, 0)
        return GaussianMixture(torch.exp(log_joint - log_evidence), post_means, post_covs), float(log_evidence)


class OUScore:
    """Exact score grad log p_t(x) of the OU marginals of a Gaussian-mixture data law."""

    def __init__(self, data: GaussianMixture):
        self.data = data

    def __call__(self, x: torch.Tensor, t: float) -> torch.Tensor:
        return self.data.ou_marginal(t).score(x)


class UnnormalizedTarget:
    """Unnormalised density exp(log_scale) * mixture, with exact log Z = log_scale."""

    def __init__(self, mixture: GaussianMixture, log_scale: float = 0.0):
        self.mixture = mixture
        self.log_scale = float(log_scale)

    @property
    def dim(self) -> int:
        return self.mixture.dim

    def to(self, device) -> "UnnormalizedTarget":
        return UnnormalizedTarget(self.mixture.to(device), self.log_scale)

    def log_density(self, x: torch.Tensor) -> torch.Tensor:
        return self.log_scale + self.mixture.log_prob(x)

    def grad_log_density(self, x: torch.Tensor) -> torch.Tensor:
        return self.mixture.score(x)

    def exact_log_normalizer(self) -> float:
        return self.log_scale


class GinzburgLandauChain:
    """1D Ginzburg-Landau chain with zero Dirichlet boundary, Gibbs density exp(-beta V).

    V(x) = (lam/2) sum_{i=1}^{n+1} ((x_i - x_{i-1}) / h)^2 + (1/(4 lam)) sum_i (1 - x_i^2)^2
           - field * sum_i x_i,  with x_0 = x_{n+1} = 0 and h = 1/(n+1).
    """

    def __init__(self, sites: int, lam: float, beta: float, field: float = 0.0):
        self.sites = int(sites)
        self.lam = float(lam)
        self.beta = float(beta)
        self.field = float(field)
        self.spacing = 1.0 / (self.sites + 1)

    @property
    def dim(self) -> int:
        return self.sites

    def to(self, device) -> "GinzburgLandauChain":
        return self

    def energy(self, x: torch.Tensor) -> torch.Tensor:
        padded = torch.nn.functional.pad(x, (1, 1))
        gradient = (padded[:, 1:] - padded[:, :-1]) / self.spacing
        coupling = 0.5 * self.lam * (gradient ** 2).sum(1)
        potential = ((1.0 - x ** 2) ** 2).sum(1) / (4.0 * self.lam)
        return coupling + potential - self.field * x.sum(1)

    def log_density(self, x: torch.Tensor) -> torch.Tensor:
        return -self.beta * self.energy(x)

    def grad_log_density(self, x: torch.Tensor) -> torch.Tensor:
        padded = torch.nn.functional.pad(x, (1, 1))
        laplacian = padded[:, :-2] - 2.0 * x + padded[:, 2:]
        grad_energy = (-(self.lam / self.spacing ** 2) * laplacian
                       - x * (1.0 - x ** 2) / self.lam - self.field)
        return -self.beta * grad_energy

    def transfer_matrix_reference(self, half_width: float = 3.0, points: int = 601):
        """Return exact (log Z, site means, site variances) by transfer-matrix quadrature.

        Each x_i is put on a uniform grid over [-half_width, half_width] and the
        chain integral becomes a product of G x G matrices. The integrand is
        smooth and decays like exp(-beta x^4 / (4 lam)), so the trapezoid rule
        converges quickly; tests compare against a finer grid.
        """
        grid = torch.linspace(-half_width, half_width, points, dtype=DTYPE)
        step = float(grid[1] - grid[0])
        scale = self.beta * self.lam / (2.0 * self.spacing ** 2)
        log_site = (-self.beta * ((1.0 - grid ** 2) ** 2 / (4.0 * self.lam) - self.field * grid)
                    + math.log(step))
        log_coupling = -scale * (grid.unsqueeze(1) - grid.unsqueeze(0)) ** 2
        log_boundary = -scale * grid ** 2

        def propagate(log_vector):
            return torch.logsumexp(log_vector.unsqueeze(1) + log_coupling, dim=0)

        forward = [log_boundary + log_site]
        for _ in range(self.sites - 1):
            forward.append(propagate(forward[-1]) + log_site)
        backward = [log_boundary]
        for _ in range(self.sites - 1):
            backward.append(propagate(backward[-1] + log_site))
        backward.reverse()
        log_z = float(torch.logsumexp(forward[-1] + log_boundary, 0))
        means, variances = [], []
        for i in range(self.sites):
            log_marginal = forward[i] + backward[i]
            marginal = torch.softmax(log_marginal, 0)
            mean = float((marginal * grid).sum())
            means.append(mean)
            variances.append(float((marginal * grid ** 2).sum()) - mean ** 2)
        return log_z, means, variances


class BirthDeathChain:
    """Birth-death diffusion on {0, ..., S-1}: rate 1 for each +-1 move, reflecting at the ends.

    p_t = p_0 exp(t Q), and the exact reverse intensity at forward time t is
    mu_t(x -> y) = Q(y, x) p_t(y) / p_t(x) for y = x +- 1.
    """

    def __init__(self, initial: torch.Tensor):
        self.initial = torch.as_tensor(initial, dtype=DTYPE)
        self.initial = self.initial / self.initial.sum()
        self.states = self.initial.shape[0]
        generator = torch.zeros(self.states, self.states, dtype=DTYPE)
        index = torch.arange(self.states - 1)
        generator[index, index + 1] = 1.0
        generator[index + 1, index] = 1.0
        generator -= torch.diag(generator.sum(1))
        self.generator = generator

    @classmethod
    def smooth_bimodal(cls, states: int = 32, width: Optional[float] = None) -> "BirthDeathChain":
        """Return a chain whose p_0 is a discretised two-bump mixture well inside {0..S-1}."""
        width = width if width is not None else states / 8.0
        x = torch.arange(states, dtype=DTYPE)
        bumps = (0.35 * torch.exp(-0.5 * ((x - 0.33 * states) / width) ** 2)
                 + 0.65 * torch.exp(-0.5 * ((x - 0.66 * states) / width) ** 2))
        return cls(bumps)

    def marginal(self, t: float) -> torch.Tensor:
        return self.initial @ torch.linalg.matrix_exp(t * self.generator)

    def reverse_rates(self, t: float, device=None) -> torch.Tensor:
        """Return the exact reverse intensities at forward time t as an (S, 2) table.

        Column 0 is the rate of the +1 jump x -> x+1, column 1 the rate of the -1
        jump x -> x-1; jumps that would leave {0..S-1} have rate 0.
        """
        p = self.marginal(t)
        rates = torch.zeros(self.states, 2, dtype=DTYPE)
        rates[:-1, 0] = self.generator[1:, :-1].diagonal() * p[1:] / p[:-1]
        rates[1:, 1] = self.generator[:-1, 1:].diagonal() * p[:-1] / p[1:]
        return rates if device is None else rates.to(device)
