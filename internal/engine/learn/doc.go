// Package learn holds the early-warning models and their metrics: an
// L2-regularised logistic regression and histogram-based gradient-boosted
// trees for a binary outcome, both with per-row contributions so that a risk
// can be shown with its reasons, and the metrics used to judge them (ROC-AUC,
// average precision, Brier score, log loss, a calibration table, all of them
// also per group).
//
// In the application the positive class is "not employed six months after
// graduation"; in the UCI benchmark (Bench) it is Dropout.
//
// Data is a dense row-major Matrix of float64; NaN (and ±Inf) means the value
// is missing. Both models handle missing values themselves: the logistic
// regression puts the training mean in their place and learns a coefficient
// for the fact of missing, the trees send missing values to whichever side of
// a split the training data favoured. A contribution that comes from a missing
// value is marked as such in an Explanation, and its Reason reads «нет данных».
//
// Training is deterministic for a seed: the same data and options give the
// same model, bit for bit, whatever the number of cores.
//
// Bench reproduces on the UCI dropout data the protocol of the scikit-learn
// peer script, on the same folds, for comparing the two; cmd/learnbench runs it.
//
// The package is pure: no storage, no HTTP. A model is kept as a versioned
// JSON document (Marshal, Unmarshal); a document of another version is refused.
package learn
