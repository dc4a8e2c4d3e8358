// Package jobs runs long work — imports, matching runs, forecasts — in the
// background, with its progress and result kept in the database, so that a
// page can show a progress bar while it runs and the report after it ends.
package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"marshrut/internal/apperr"
)

// Status is where a job stands.
type Status string

const (
	Running Status = "running"
	Done    Status = "done"
	Failed  Status = "failed"
)

// Name is the Russian name of the status.
func (s Status) Name() string {
	switch s {
	case Running:
		return "выполняется"
	case Done:
		return "завершено"
	case Failed:
		return "ошибка"
	}
	return string(s)
}

// Job is one piece of long work.
type Job struct {
	ID         int64
	Kind       string // import.learners, …
	Title      string // what a person sees: «Проверка файла group.xlsx»
	UserID     int64
	Status     Status
	Done       int // units of work done (rows, records)
	Total      int // units in all, 0 when unknown
	Result     json.RawMessage
	Error      string // Russian, safe to show
	CreatedAt  time.Time
	FinishedAt time.Time
}

// Share is the part done, 0 when the total is unknown.
func (j Job) Share() float64 {
	if j.Total <= 0 {
		return 0
	}
	return min(1, float64(j.Done)/float64(j.Total))
}

// Progress reports how far a job has come.
type Progress func(done, total int)

// Runner starts jobs, knows the progress of those running, and waits for
// them on shutdown.
type Runner struct {
	store    Store
	log      *slog.Logger
	wg       sync.WaitGroup
	mu       sync.Mutex
	progress map[int64][2]int // running job → done, total
	running  prometheus.Gauge
	ended    *prometheus.CounterVec
	seconds  *prometheus.HistogramVec
}

// NewRunner returns a Runner; its metrics go to reg.
func NewRunner(s Store, log *slog.Logger, reg prometheus.Registerer) *Runner {
	r := &Runner{store: s, log: log, progress: map[int64][2]int{},
		running: prometheus.NewGauge(prometheus.GaugeOpts{Name: "marshrut_jobs_running", Help: "Jobs running now."}),
		ended: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "marshrut_jobs_total", Help: "Jobs ended, by kind and status."},
			[]string{"kind", "status"}),
		seconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "marshrut_job_duration_seconds", Help: "Time a job ran, by kind.",
			Buckets: prometheus.ExponentialBuckets(0.05, 4, 8)}, []string{"kind"}),
	}
	reg.MustRegister(r.running, r.ended, r.seconds)
	return r
}

// Start records the job and runs fn in the background. fn's result is kept as
// JSON; its error, when it has one, as the Russian message a person sees.
func (r *Runner) Start(ctx context.Context, j *Job, fn func(ctx context.Context, p Progress) (any, error)) error {
	j.Status, j.CreatedAt = Running, time.Now()
	if err := r.store.CreateJob(ctx, j); err != nil {
		return err
	}
	r.wg.Add(1)
	r.running.Inc()
	// The job outlives the request that started it.
	ctx = context.WithoutCancel(ctx)
	go func() {
		defer r.wg.Done()
		defer r.running.Dec()
		start := time.Now()
		progress := func(done, total int) {
			r.mu.Lock()
			r.progress[j.ID] = [2]int{done, total}
			r.mu.Unlock()
		}
		res, err := r.run(ctx, fn, progress)
		status, msg := Done, ""
		if err != nil {
			status, msg = Failed, apperr.Message(err)
			if apperr.CodeOf(err) == apperr.Internal {
				r.log.Error("job failed", "job", j.ID, "kind", j.Kind, "err", err)
			}
		}
		var raw json.RawMessage
		if res != nil {
			if raw, err = json.Marshal(res); err != nil {
				status, msg = Failed, "не удалось сохранить результат"
				r.log.Error("job result", "job", j.ID, "err", err)
			}
		}
		if err := r.store.FinishJob(ctx, j.ID, status, raw, msg, time.Now()); err != nil {
			r.log.Error("finish job", "job", j.ID, "err", err)
		}
		r.mu.Lock()
		delete(r.progress, j.ID)
		r.mu.Unlock()
		r.ended.WithLabelValues(j.Kind, string(status)).Inc()
		r.seconds.WithLabelValues(j.Kind).Observe(time.Since(start).Seconds())
	}()
	return nil
}

// run calls fn and turns a panic into a failure of the job.
func (r *Runner) run(ctx context.Context, fn func(context.Context, Progress) (any, error), p Progress) (res any, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("job panicked: %v", v)
		}
	}()
	return fn(ctx, p)
}

// Job returns a job with its progress when it runs.
func (r *Runner) Job(ctx context.Context, id int64) (Job, error) {
	j, err := r.store.Job(ctx, id)
	if err != nil {
		return j, err
	}
	r.mu.Lock()
	if p, ok := r.progress[id]; ok && j.Status == Running {
		j.Done, j.Total = p[0], p[1]
	}
	r.mu.Unlock()
	return j, nil
}

// Recent returns a user's latest jobs, newest first.
func (r *Runner) Recent(ctx context.Context, userID int64, limit int) ([]Job, error) {
	return r.store.Jobs(ctx, userID, limit)
}

// Wait blocks until every started job has ended.
func (r *Runner) Wait() { r.wg.Wait() }
