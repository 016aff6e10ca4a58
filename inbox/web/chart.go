package web

import (
	"fmt"
	"strings"
)

// Chart geometry in SVG user units.
const (
	chartW, chartH = 560.0, 200.0
	chartPad       = 30.0
)

// chart is a server-rendered SVG chart: bars or lines, with labels.
type chart struct {
	Title  string
	Max    float64
	Bars   []bar
	Lines  []line
	Labels []label
}

type bar struct {
	X, Y, W, H float64
	Title      string
}

type line struct {
	Points string
	Class  string
	Name   string
}

type label struct {
	X, Y float64
	Text string
}

// barChart draws the conversations per day.
func barChart(days []dayStats, title string) chart {
	c := chart{Title: title}
	for _, d := range days {
		c.Max = max(c.Max, float64(d.Volume))
	}
	scale := scaleFor(c.Max)
	w := (chartW - 2*chartPad) / float64(len(days))
	for i, d := range days {
		h := float64(d.Volume) * scale
		x := chartPad + float64(i)*w
		c.Bars = append(c.Bars, bar{X: x + 2, Y: chartH - chartPad - h, W: w - 4, H: h,
			Title: fmt.Sprintf("%s: %d", d.Day.Format("2006-01-02"), d.Volume)})
	}
	c.Labels = axisLabels(days, c.Max)
	return c
}

// lineChart draws the first-response p50 and p90 per day, in minutes.
func lineChart(days []dayStats, title string) chart {
	c := chart{Title: title}
	for _, d := range days {
		c.Max = max(c.Max, d.P90, d.P50)
	}
	scale := scaleFor(c.Max)
	step := (chartW - 2*chartPad) / float64(len(days))
	pts := func(v func(dayStats) float64) string {
		var b strings.Builder
		for i, d := range days {
			fmt.Fprintf(&b, "%.1f,%.1f ", chartPad+(float64(i)+0.5)*step, chartH-chartPad-v(d)*scale)
		}
		return strings.TrimSpace(b.String())
	}
	c.Lines = []line{
		{Points: pts(func(d dayStats) float64 { return d.P50 }), Class: "p50", Name: "p50"},
		{Points: pts(func(d dayStats) float64 { return d.P90 }), Class: "p90", Name: "p90"},
	}
	c.Labels = axisLabels(days, c.Max)
	return c
}

func scaleFor(maxValue float64) float64 {
	if maxValue <= 0 {
		return 0
	}
	return (chartH - 2*chartPad) / maxValue
}

// axisLabels are the first and last day and the top value.
func axisLabels(days []dayStats, top float64) []label {
	if len(days) == 0 {
		return nil
	}
	return []label{
		{X: chartPad, Y: chartH - 8, Text: days[0].Day.Format("02/01")},
		{X: chartW - chartPad - 30, Y: chartH - 8, Text: days[len(days)-1].Day.Format("02/01")},
		{X: 2, Y: chartPad - 8, Text: axisNumber(top)},
	}
}

// axisNumber shows small values with a decimal, so a top of 0.4 minutes
// does not read as 0.
func axisNumber(v float64) string {
	if v < 10 && v != float64(int(v)) {
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.0f", v)
}
