package risk

import (
	"context"
	"testing"
)

// BenchmarkTrainRegion trains both models on a region of a million past
// graduates (two cohorts of 500 000: one trains, one validates) and picks one.
func BenchmarkTrainRegion(b *testing.B) {
	recs := cohorts(11, 500000, 2024, 2025)
	b.ResetTimer()
	for range b.N {
		if _, err := Train(context.Background(), recs, Demand{}, TrainOptions{Seed: 1, Now: now}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScoreRegion scores 100 000 students with their reasons by the
// gradient-boosted model, whose exact contributions cost the most.
func BenchmarkScoreRegion(b *testing.B) {
	recs := cohorts(12, 20000, 2024, 2025)
	t, err := Train(context.Background(), recs, Demand{}, TrainOptions{Kind: KindGBT, Seed: 1, Now: now})
	if err != nil {
		b.Fatal(err)
	}
	todo := cohorts(13, 100000, 2027)
	b.ResetTimer()
	for range b.N {
		if _, err := ScoreAll(context.Background(), t.Model, todo, Demand{}, nil); err != nil {
			b.Fatal(err)
		}
	}
}
