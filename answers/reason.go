package answers

import "fmt"

// reason is why an article, or a line of an import file, is refused, in
// Swedish and in English: editors meet it in the import's summary, the
// API's error and the editing form, which shows the half in the page's
// language.
type reason struct{ sv, en string }

// Error is the reason as staff meet it: "Swedish / English".
func (r *reason) Error() string { return r.sv + " / " + r.en }

// refusal is a reason written in both languages, the same values filling
// in both halves.
func refusal(sv, en string, args ...any) *reason {
	return &reason{fmt.Sprintf(sv, args...), fmt.Sprintf(en, args...)}
}

// halves are err's Swedish and English text: a reason's halves, or the
// text of any other error in both.
func halves(err error) (sv, en string) {
	if r, ok := err.(*reason); ok {
		return r.sv, r.en
	}
	return err.Error(), err.Error()
}

// led is err after a lead-in in each language.
func led(sv, en string, err error) *reason {
	errSV, errEN := halves(err)
	return &reason{sv + errSV, en + errEN}
}
