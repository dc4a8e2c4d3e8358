package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"marshrut/internal/apperr"
)

// memStore keeps jobs in memory.
type memStore struct {
	mu   sync.Mutex
	jobs map[int64]Job
}

func (m *memStore) CreateJob(_ context.Context, j *Job) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	j.ID = int64(len(m.jobs) + 1)
	m.jobs[j.ID] = *j
	return nil
}

func (m *memStore) FinishJob(_ context.Context, id int64, st Status, res json.RawMessage, msg string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	j := m.jobs[id]
	j.Status, j.Result, j.Error, j.FinishedAt = st, res, msg, at
	m.jobs[id] = j
	return nil
}

func (m *memStore) Job(_ context.Context, id int64) (Job, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	j, ok := m.jobs[id]
	if !ok {
		return j, apperr.New(apperr.NotFound, "задание не найдено")
	}
	return j, nil
}

func (m *memStore) Jobs(context.Context, int64, int) ([]Job, error) { return nil, nil }

func TestRunner(t *testing.T) {
	st := &memStore{jobs: map[int64]Job{}}
	reg := prometheus.NewRegistry()
	r := NewRunner(st, slog.New(slog.NewTextHandler(io.Discard, nil)), reg)
	ctx := context.Background()
	release := make(chan struct{})
	progressed := make(chan struct{})
	ok := &Job{Kind: "test", Title: "удачное"}
	if err := r.Start(ctx, ok, func(ctx context.Context, p Progress) (any, error) {
		p(3, 10)
		close(progressed)
		<-release
		return map[string]int{"rows": 10}, nil
	}); err != nil {
		t.Fatal(err)
	}
	<-progressed
	j, _ := r.Job(ctx, ok.ID)
	if j.Status != Running || j.Done != 3 || j.Total != 10 || j.Share() != 0.3 {
		t.Errorf("running job: %+v", j)
	}
	close(release)
	bad := &Job{Kind: "test", Title: "с ошибкой"}
	r.Start(ctx, bad, func(context.Context, Progress) (any, error) {
		return nil, apperr.New(apperr.Invalid, "в файле нет строк с данными")
	})
	boom := &Job{Kind: "test", Title: "с паникой"}
	r.Start(ctx, boom, func(context.Context, Progress) (any, error) { panic("boom") })
	r.Wait()
	for _, c := range []struct {
		id     int64
		status Status
		msg    string
		result string
	}{
		{ok.ID, Done, "", `{"rows":10}`},
		{bad.ID, Failed, "в файле нет строк с данными", ""},
		{boom.ID, Failed, apperr.Message(errors.New("x")), ""},
	} {
		j, _ := r.Job(ctx, c.id)
		if j.Status != c.status || j.Error != c.msg || string(j.Result) != c.result {
			t.Errorf("job %d: %+v", c.id, j)
		}
	}
	if n := testutil.ToFloat64(r.ended.WithLabelValues("test", "failed")); n != 2 {
		t.Errorf("%v failed jobs counted", n)
	}
	if n := testutil.ToFloat64(r.running); n != 0 {
		t.Errorf("%v jobs still counted as running", n)
	}
}
