package loadgen

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"inkorg/inbox/inboxtest"
	"inkorg/inbox/redisq"
	"inkorg/webhooks"
)

// BenchmarkRedisReceiver sends b.N generated deliveries as fast as they
// are acknowledged, in the same process and the same way, at
//
//   - Receiver: the real webhooks.Receiver on the Redis Streams queue, and
//   - BareXADD: a handler that only reads the body and XADDs it, the
//     floor for the same durability,
//
// and reports deliveries/s, the ack latency percentiles and the process
// CPU time per delivery (load generator included) of each; the ratio of
// the rates is what the receiver costs over the floor. INKORG_BENCH_CONCURRENCY
// sets the senders (default 64), INKORG_BENCH_RATE a fixed rate (default
// as fast as possible).
func BenchmarkRedisReceiver(b *testing.B) {
	redisURL, prefix := inboxtest.RedisURL(b)
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		b.Fatal(err)
	}
	client := redis.NewClient(opts)
	b.Cleanup(func() { client.Close() })

	b.Run("Receiver", func(b *testing.B) {
		q := redisq.New(client, redisq.Options{Prefix: prefix + "recv:"})
		recv := webhooks.NewReceiver(webhooks.ReceiverConfig{AppSecret: testSecret, Queue: q})
		benchLoad(b, http.HandlerFunc(recv.Receive))
	})
	b.Run("BareXADD", func(b *testing.B) {
		benchLoad(b, bareXADD(client, prefix+"bare:queue:deliveries"))
	})
}

// bareXADD answers 200 once the body is on the stream, and does nothing
// else: no signature check, no parsing, no headers kept.
func bareXADD(client *redis.Client, stream string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, webhooks.DefaultMaxBodyBytes))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), time.Second)
		defer cancel()
		if err := client.XAdd(ctx, &redis.XAddArgs{Stream: stream, Values: []any{"body", body}}).Err(); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, "EVENT_RECEIVED")
	})
}

func benchLoad(b *testing.B, h http.Handler) {
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	cfg := Config{URL: srv.URL + "/webhooks/meta", Secret: testSecret, Count: b.N,
		Concurrency: envInt(b, "INKORG_BENCH_CONCURRENCY", 64)}
	cfg.Rate = float64(envInt(b, "INKORG_BENCH_RATE", 0))
	b.ResetTimer()
	cpu := processCPU(b)
	r, err := Run(b.Context(), cfg)
	cpu = processCPU(b) - cpu
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	if len(r.Errors) > 0 {
		b.Errorf("errors: %v", r.Errors)
	}
	b.ReportMetric(r.DeliveriesPerSecond, "deliveries/s")
	b.ReportMetric(r.Ack.P50, "p50-ms")
	b.ReportMetric(r.Ack.P99, "p99-ms")
	if r.Acknowledged > 0 {
		b.ReportMetric(float64(cpu.Microseconds())/float64(r.Acknowledged), "cpu-µs/delivery")
	}
}

// processCPU returns the user and system CPU time this process has used:
// the load generator's and the handler's together. Unlike throughput it
// hardly changes with other work on the machine, so the difference
// between the two handlers shows what the receiver costs even when the
// machine is busy.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func envInt(b *testing.B, name string, def int) int {
	raw := os.Getenv(name)
	if raw == "" {
		return def
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		b.Fatalf("%s: %v", name, err)
	}
	return n
}
