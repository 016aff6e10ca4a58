package inbox

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestSelectNth compares each rank selectNth picks with a sorted copy, on
// lists with many equal values, sorted and reversed lists, and short ones.
func TestSelectNth(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	lists := map[string][]time.Duration{"one value": {7}}
	for _, n := range []int{2, 3, 13, 100, 5000} {
		var random, few, sorted, reversed []time.Duration
		for i := range n {
			random = append(random, time.Duration(rng.Int64N(1e6)))
			few = append(few, time.Duration(rng.IntN(3)))
			sorted = append(sorted, time.Duration(i))
			reversed = append(reversed, time.Duration(n-i))
		}
		for name, l := range map[string][]time.Duration{"random": random, "few values": few, "sorted": sorted, "reversed": reversed} {
			lists[name+"/"+itoa(n)] = l
		}
	}
	for name, l := range lists {
		want := slices.Sorted(slices.Values(l))
		for _, k := range []int{0, len(l) / 2, len(l) * 9 / 10, len(l) - 1} {
			got := slices.Clone(l)
			selectNth(got, k)
			if got[k] != want[k] {
				t.Errorf("%s: rank %d: got %v, want %v", name, k, got[k], want[k])
			}
			if slices.Max(got[:k+1]) != got[k] || slices.Min(got[k:]) != got[k] {
				t.Errorf("%s: rank %d: values on the wrong side of it", name, k)
			}
		}
	}
}

// TestPercentilesNearestRank checks the three ranks picked in turn against
// the nearest rank of a sorted list.
func TestPercentilesNearestRank(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 2, 10, 19, 20, 21, 1001} {
		ds := make([]time.Duration, n)
		for i := range ds {
			ds[i] = time.Duration(rng.IntN(50)) * 1500 * time.Millisecond
		}
		sorted := slices.Sorted(slices.Values(ds))
		p := percentiles(ds)
		for _, c := range []struct {
			q   int // percent
			got *float64
		}{{50, p.P50}, {90, p.P90}, {95, p.P95}} {
			want := sorted[(c.q*n+99)/100-1].Seconds()
			if *c.got != want {
				t.Errorf("n %d: p%d got %v, want %v", n, c.q, *c.got, want)
			}
		}
	}
}
