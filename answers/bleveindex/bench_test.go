package bleveindex_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"inkorg/answers"
	"inkorg/answers/answerstest"
	"inkorg/answers/bleveindex"
)

// BenchmarkSuggest measures suggestions (top 3, reranked as the server
// does) on an on-disk index of 5,000 articles and reports the 95th
// percentile latency.
func BenchmarkSuggest(b *testing.B) {
	ctx := context.Background()
	arts := answerstest.Generate(5000, 1)
	an := answers.DefaultAnalyzer()
	x, _, err := bleveindex.Open(ctx, filepath.Join(b.TempDir(), "answers.bleve"), an, arts)
	if err != nil {
		b.Fatal(err)
	}
	defer x.Close()
	s := &answers.Suggester{Search: answers.Ranked(x, an)}
	durations := make([]time.Duration, 0, b.N)
	cpu0 := cpuTime()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if _, err := s.Suggest(ctx, answerstest.Questions[i%len(answerstest.Questions)], "", 3); err != nil {
			b.Fatal(err)
		}
		durations = append(durations, time.Since(start))
	}
	cpu := cpuTime() - cpu0
	slices.Sort(durations)
	p95 := durations[len(durations)*95/100]
	b.ReportMetric(float64(p95.Microseconds())/1000, "p95-ms")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(durations)), "cpu-ms/op")
}

// BenchmarkIndex5000 measures building the on-disk index from 5,000
// articles, as a first start or an import does.
func BenchmarkIndex5000(b *testing.B) {
	ctx := context.Background()
	arts := answerstest.Generate(5000, 1)
	for b.Loop() {
		x, _, err := bleveindex.Open(ctx, filepath.Join(b.TempDir(), "answers.bleve"), answers.DefaultAnalyzer(), arts)
		if err != nil {
			b.Fatal(err)
		}
		x.Close()
	}
}
