package learn

import "testing"

// The first outputs of MT19937 seeded by init_genrand(5489), the reference
// implementation's default, and NumPy's RandomState(42).randint(0, 2**32) ... values.
func TestMT19937(t *testing.T) {
	r := newMT19937(5489)
	for i, want := range []uint32{3499211612, 581869302, 3890346734, 3586334585, 545404204} {
		if got := r.uint32(); got != want {
			t.Fatalf("output %d = %d, want %d", i, got, want)
		}
	}
}

// The fold of each row of the UCI data under scikit-learn 1.x's
// StratifiedKFold(5, shuffle=True, random_state=42), as the peer script uses
// it: the first and last 100 rows, printed by scikit-learn itself.
const (
	sklearnFoldsHead = "0311334233141134122401324343241330211214333324402002341244141442423432411321104211204411100222331123"
	sklearnFoldsTail = "1032123133344131022102042214133140302214113313312401423401003340130330143400101430423203110400313301"
)

func TestSklearnFolds(t *testing.T) {
	d := readUCIOrSkip(t)
	folds := sklearnFolds(d.y, 5, 42)
	fold := make([]byte, len(d.y))
	for k, f := range folds {
		for _, i := range f.Test {
			fold[i] = byte('0' + k)
		}
	}
	if head := string(fold[:100]); head != sklearnFoldsHead {
		t.Errorf("first rows' folds\n%s, scikit-learn's\n%s", head, sklearnFoldsHead)
	}
	if tail := string(fold[len(fold)-100:]); tail != sklearnFoldsTail {
		t.Errorf("last rows' folds\n%s, scikit-learn's\n%s", tail, sklearnFoldsTail)
	}
}
