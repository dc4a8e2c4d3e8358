// Package ts forecasts short yearly and monthly count series, such as the
// demand for a group of specialties by year, and measures how well it
// would have done on the series' own past.
//
// The methods (Method) are those of the M-competition literature, for
// non-seasonal data: the naive forecast; exponential smoothing state-space
// models (ETS: SES, Holt's trend, the damped trend, and the automatic
// choice among the six models with additive or multiplicative error and
// no, additive or damped trend by AICc, as forecast::ets makes it); the
// Theta method as forecast::thetaf computes it; and Comb, the mean of the
// automatic ETS, Theta and the damped trend. Comb is the method to use: on
// the 645 yearly series of the M3 competition its OWA is 0.870, against
// 0.905 for Theta, 0.891 for ETS and 0.888 for the best original M3 method
// (BENCH.md has the figures and the rule behind the choice; the
// combination is fixed, not chosen per series).
//
// ETS models are fitted by maximum likelihood with the bounds of forecast:
// α in [1e-4, 1−1e-4], β ≤ α, φ in [0.8, 0.98]. Additive-error models have
// their initial states solved exactly for each trial of the smoothing
// parameters; the rest is a Nelder–Mead search, whose starting points
// ets.go explains. A multiplicative error is tried only on strictly
// positive series.
//
// Seasonality is handled as the M4 competition's benchmarks did: with a
// period above 1 (Options.Period, 12 for monthly data) a series of at least
// three cycles that is seasonal by the 90% autocorrelation test is divided
// by the indices of a classical multiplicative decomposition, forecast, and
// multiplied back. There are no seasonal ETS models. A monthly series can
// also be summed to years by the caller and forecast as yearly.
//
// Prediction intervals (80% and 95%) are Gaussian: for ETS the analytical
// variances of Hyndman et al. (2008, ch. 6), class 1 for an additive error
// and class 2 for a multiplicative one; for Theta thetaf's, those of its
// SES; for the naive methods a random walk's; for Comb the mean of its
// members' bounds. A seasonal forecast's bounds are multiplied by the
// season like the mean, which leaves out the uncertainty of the indices.
// The intervals are too narrow on yearly data, as R's are: on M3 Comb's 95%
// intervals hold 83.5% of the outcomes and its 80% ones 69% (R's ets 84%
// and 71%).
//
// Input is checked: a negative, missing (NaN) or infinite value is refused
// with an error naming its position, as is a horizon above the caller's
// limit. A series too short for the method asked for (fewer values than
// its parameters plus five, the rule of forecast::ets) gets a simpler one,
// and Forecast.Note says so in Russian. Forecasts and bounds are counts,
// clipped at zero.
//
// Accuracy is measured as in the M4 competition: sMAPE, MASE and OWA
// against Naive2. Backtest applies them to rolling origins of one series,
// Bench to the M3 yearly protocol of the R peer (cmd/tsbench runs it).
//
// The package is pure: standard library only, no storage, no HTTP, and
// deterministic: the same series give the same forecasts, bit for bit.
package ts
