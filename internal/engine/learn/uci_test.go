package learn

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// uciPath is the project's copy of the UCI data (see testdata/dropout/README.md).
const uciPath = "testdata/dropout/data.csv"

func readUCIOrSkip(t testing.TB) *uci {
	t.Helper()
	if _, err := os.Stat(uciPath); err != nil {
		t.Skip("no UCI data:", err)
	}
	d, err := readUCI(uciPath)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestUCIRead(t *testing.T) {
	d := readUCIOrSkip(t)
	pos, _ := counts(d.y)
	if d.x.Rows != 4424 || d.x.Cols != 36 || pos != 1421 {
		t.Fatalf("%d rows, %d features, %d Dropout", d.x.Rows, d.x.Cols, pos)
	}
	if d.x.Names[0] != "Marital status" || d.x.Names[4] != "Daytime/evening attendance" {
		t.Errorf("names %q", d.x.Names[:5])
	}
	sets := d.featureSets()
	if sets[0].name != "enrolment" || sets[0].x.Cols != 24 || sets[1].x.Cols != 36 {
		t.Errorf("feature sets: %s %d, %s %d", sets[0].name, sets[0].x.Cols, sets[1].name, sets[1].x.Cols)
	}
}

// A quick run of the benchmark with fewer trees.
func TestUCISmoke(t *testing.T) {
	d := readUCIOrSkip(t)
	folds, err := StratifiedKFold(d.y, 5, 42)
	if err != nil {
		t.Fatal(err)
	}
	r, err := crossValidate(context.Background(), d.x, d.y, folds, KindGBT, Options{Seed: 42, GBT: GBTOptions{Trees: 40, LearningRate: 0.15}})
	if err != nil {
		t.Fatal(err)
	}
	if r.AUC <= 0.8 {
		t.Errorf("all features, gbt: %v", r)
	}
	r, err = crossValidate(context.Background(), d.x, d.y, folds, KindLogistic, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.AUC <= 0.8 {
		t.Errorf("all features, logreg: %v", r)
	}
}

func TestBenchOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("the whole benchmark")
	}
	readUCIOrSkip(t)
	var out bytes.Buffer
	if err := BenchWith(context.Background(), uciPath, &out, Options{Seed: 42, GBT: GBTOptions{Trees: 20}}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 6 || !strings.HasPrefix(lines[0], "features=enrolment model=logreg auc=0.") ||
		!strings.HasPrefix(lines[4], "features=all model=gbt auc=") || !strings.Contains(lines[4], " fit_seconds=") ||
		!strings.HasPrefix(lines[5], "features=all model=gbt-monotone auc=0.") {
		t.Errorf("output:\n%s", out.String())
	}
}
