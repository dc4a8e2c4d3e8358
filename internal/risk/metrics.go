package risk

import "marshrut/internal/engine/learn"

// Kind is a kind of model the early warning can train.
type Kind string

const (
	KindLogistic Kind = "logreg" // L2-regularised logistic regression
	KindGBT      Kind = "gbt"    // gradient-boosted trees
)

// Bin is one bin of a calibration table: the students whose predicted
// probability lies in [Lo, Hi), what was predicted for them on average and
// the share of them that did stay without work.
type Bin struct {
	Lo        float64 `json:"lo"`
	Hi        float64 `json:"hi"`
	Count     int     `json:"count"`
	Predicted float64 `json:"predicted"` // mean predicted probability; 0 for an empty bin
	Observed  float64 `json:"observed"`  // share of positives; 0 for an empty bin
}

// Metrics judge a model on a cohort it did not see.
type Metrics struct {
	Rows        int     `json:"rows"`
	Positives   int     `json:"positives"`
	AUC         float64 `json:"roc_auc"`
	PRAUC       float64 `json:"pr_auc"` // average precision
	Brier       float64 `json:"brier"`
	LogLoss     float64 `json:"log_loss"`
	Calibration []Bin   `json:"calibration"`
}

// Group is the metrics of one group of students (by sex, municipality, disability).
type Group struct {
	Name string `json:"name"`
	Metrics
}

func metricsOf(m learn.Metrics) Metrics {
	out := Metrics{Rows: m.Rows, Positives: m.Positives, AUC: m.AUC, PRAUC: m.PRAUC, Brier: m.Brier, LogLoss: m.LogLoss}
	if m.Calibration != nil {
		out.Calibration = make([]Bin, len(m.Calibration))
		for i, b := range m.Calibration {
			out.Calibration[i] = Bin(b)
		}
	}
	return out
}

func groupsOf(gs []learn.Group) []Group {
	out := make([]Group, len(gs))
	for i, g := range gs {
		out[i] = Group{Name: g.Name, Metrics: metricsOf(g.Metrics)}
	}
	return out
}
