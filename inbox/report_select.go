package inbox

import (
	"math/bits"
	"slices"
	"time"
)

// selectNth reorders ds so that ds[n] is the value a sort would put there,
// with no greater value before it and no smaller one after it. A year's
// report picks three ranks from each of a dozen lists of up to hundreds of
// thousands of durations; selecting them is linear where sorting is not.
func selectNth(ds []time.Duration, n int) {
	// Quickselect with a median-of-three pivot; after too many rounds
	// (a pathological order) it sorts what is left instead.
	lo, hi := 0, len(ds)
	for budget := 2 * bits.Len(uint(len(ds))); hi-lo > 12; budget-- {
		if budget == 0 {
			slices.Sort(ds[lo:hi])
			return
		}
		lt, gt := partition3(ds[lo:hi])
		switch {
		case n < lo+lt:
			hi = lo + lt
		case n >= lo+gt:
			lo += gt
		default:
			return // ds[n] equals the pivot, in its final place
		}
	}
	slices.Sort(ds[lo:hi])
}

// partition3 reorders ds around a pivot into values less than it, equal
// to it and greater than it, and returns where the equal values start and
// end. Many durations are equal (no time with a department is 0), which a
// three-way partition settles in one pass.
func partition3(ds []time.Duration) (lt, gt int) {
	a, b, c := ds[0], ds[len(ds)/2], ds[len(ds)-1]
	pivot := max(min(a, b), min(max(a, b), c))
	lt, i, gt := 0, 0, len(ds)
	for i < gt {
		switch v := ds[i]; {
		case v < pivot:
			ds[lt], ds[i] = ds[i], ds[lt]
			lt++
			i++
		case v > pivot:
			gt--
			ds[gt], ds[i] = ds[i], ds[gt]
		default:
			i++
		}
	}
	return lt, gt
}
