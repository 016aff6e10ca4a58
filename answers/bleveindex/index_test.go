package bleveindex_test

import (
	"testing"

	"inkorg/answers"
	"inkorg/answers/answerstest"
	"inkorg/answers/bleveindex"
)

func TestContract(t *testing.T) {
	answerstest.Run(t, func(t *testing.T) answers.Search {
		x, err := bleveindex.NewMemory(answers.DefaultAnalyzer())
		if err != nil {
			t.Fatal(err)
		}
		return x
	})
}
