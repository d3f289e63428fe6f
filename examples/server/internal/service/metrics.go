package service

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics counts the services' background work for the server's
// /metrics: grouping runs, survey imports, plug-in restarts and rule
// calls, and audit appends. Its labels are closed sets (an outcome) or
// catalog names an administrator chose (a plug-in); never an ID, a
// person's or an organization's name, or anything a role may not see.
// A nil *Metrics counts nothing, so services built without one work.
type Metrics struct {
	runsStarted   prometheus.Counter
	runsFinished  *prometheus.CounterVec
	runDuration   *prometheus.HistogramVec
	importStarted prometheus.Counter
	importDone    *prometheus.CounterVec
	importRunning prometheus.Gauge
	importTime    *prometheus.HistogramVec
	restarts      *prometheus.CounterVec
	ruleCalls     *prometheus.HistogramVec
	auditEntries  prometheus.Counter
	auditBatch    prometheus.Histogram

	reg prometheus.Registerer
}

// The outcomes of a grouping run or a survey import in the metrics.
var metricOutcomes = []string{string(RunDone), string(RunFailed), string(RunCancelled)}

// NewMetrics registers the services' metrics with reg. The running and
// queued grouping runs are read from the job queue at each scrape, once
// [New] is given the metrics.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		reg: reg,
		runsStarted: prometheus.NewCounter(prometheus.CounterOpts{Name: "workforce_grouping_runs_started_total",
			Help: "Grouping runs accepted (started at once or queued)."}),
		runsFinished: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "workforce_grouping_runs_finished_total",
			Help: "Grouping runs finished, by outcome (done, failed, cancelled)."}, []string{"outcome"}),
		runDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "workforce_grouping_run_duration_seconds",
			Help:    "Time from a grouping run's start (leaving the queue) to its end, by outcome.",
			Buckets: []float64{0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600}}, []string{"outcome"}),
		importStarted: prometheus.NewCounter(prometheus.CounterOpts{Name: "workforce_survey_imports_started_total",
			Help: "Survey imports started (an import never waits in a queue)."}),
		importDone: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "workforce_survey_imports_finished_total",
			Help: "Survey imports finished, by outcome (done, failed)."}, []string{"outcome"}),
		importRunning: prometheus.NewGauge(prometheus.GaugeOpts{Name: "workforce_survey_imports_running",
			Help: "Survey imports running now."}),
		importTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "workforce_survey_import_duration_seconds",
			Help:    "Time a survey import took, by outcome.",
			Buckets: []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120}}, []string{"outcome"}),
		restarts: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "workforce_plugin_restarts_total",
			Help: "Plug-in processes relaunched after a crash, a missed deadline or a failed ping, by plug-in."}, []string{"plugin"}),
		ruleCalls: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "workforce_plugin_rule_call_duration_seconds",
			Help:    "Latency of one batch sent to a plug-in's eligibility rule, by plug-in and outcome (ok, error).",
			Buckets: []float64{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}}, []string{"plugin", "outcome"}),
		auditEntries: prometheus.NewCounter(prometheus.CounterOpts{Name: "workforce_audit_entries_appended_total",
			Help: "Audit entries committed to the hash chain."}),
		auditBatch: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "workforce_audit_append_batch_entries",
			Help:    "Entries per committed audit batch (one transaction each).",
			Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256}}),
	}
	for _, o := range metricOutcomes {
		m.runsFinished.WithLabelValues(o)
		if o != string(RunCancelled) {
			m.importDone.WithLabelValues(o)
		}
	}
	for _, c := range []prometheus.Collector{m.runsStarted, m.runsFinished, m.runDuration, m.importStarted, m.importDone,
		m.importRunning, m.importTime, m.restarts, m.ruleCalls, m.auditEntries, m.auditBatch} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// watchJobs registers the gauges of grouping runs running and waiting,
// read from j at each scrape.
func (m *Metrics) watchJobs(j *Jobs) {
	if m == nil {
		return
	}
	count := func(f func() int) func() float64 {
		return func() float64 {
			j.mu.Lock()
			defer j.mu.Unlock()
			return float64(f())
		}
	}
	// A second set of services on the same registry keeps the first's
	// gauges: registration errors are not fatal here.
	_ = m.reg.Register(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "workforce_grouping_runs_running",
		Help: "Grouping runs running now."}, count(func() int { return j.nrun })))
	_ = m.reg.Register(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "workforce_grouping_runs_queued",
		Help: "Grouping runs waiting for a slot."}, count(func() int { return len(j.queue) })))
}

// runStarted counts a run accepted.
func (m *Metrics) runStarted() {
	if m != nil {
		m.runsStarted.Inc()
	}
}

// runFinished counts a run's end; began is when it started running (zero
// for a run cancelled while queued, which has no duration).
func (m *Metrics) runFinished(status RunStatus, began time.Time) {
	if m == nil {
		return
	}
	m.runsFinished.WithLabelValues(string(status)).Inc()
	if !began.IsZero() {
		m.runDuration.WithLabelValues(string(status)).Observe(time.Since(began).Seconds())
	}
}

// importBegan counts an import started and running; the returned function
// counts its end with its outcome.
func (m *Metrics) importBegan() func(status RunStatus) {
	if m == nil {
		return func(RunStatus) {}
	}
	began := time.Now()
	m.importStarted.Inc()
	m.importRunning.Inc()
	return func(status RunStatus) {
		m.importRunning.Dec()
		m.importDone.WithLabelValues(string(status)).Inc()
		m.importTime.WithLabelValues(string(status)).Observe(time.Since(began).Seconds())
	}
}

// PluginRestarted counts a relaunch of the plug-in named in the catalog.
func (m *Metrics) PluginRestarted(plugin string) {
	if m != nil {
		m.restarts.WithLabelValues(plugin).Inc()
	}
}

// ruleCalled observes one call of a plug-in's rule.
func (m *Metrics) ruleCalled(plugin string, began time.Time, err error) {
	if m == nil {
		return
	}
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	m.ruleCalls.WithLabelValues(plugin, outcome).Observe(time.Since(began).Seconds())
}

// auditAppended counts a committed batch of n entries.
func (m *Metrics) auditAppended(n int) {
	if m == nil || n == 0 {
		return
	}
	m.auditEntries.Add(float64(n))
	m.auditBatch.Observe(float64(n))
}
