package web

import (
	"fmt"
	"html"
	"html/template"
	"strconv"
	"strings"
)

// The charts are inline SVG drawn on the server from the figures of the
// table beside them: a hidden cell is written "suppressed" where its bar
// would be, never drawn. Each chart has a <title> and a <desc>, and the
// table gives the same figures to those who cannot see it.

const (
	chartWidth = 880.0
	labelWidth = 300.0
	plotWidth  = 400.0
	rowHeight  = 30.0
	chartTop   = 28.0
)

// esc escapes text for SVG.
func esc(s string) string { return html.EscapeString(s) }

// num writes a coordinate.
func num(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }

// svgOpen starts a chart of height h labelled by its title and desc.
func svgOpen(b *strings.Builder, id string, h float64, title, desc string) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" id="%s" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-labelledby="%s-title %s-desc">`,
		esc(id), num(chartWidth), num(h), num(chartWidth), num(h), esc(id), esc(id))
	fmt.Fprintf(b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, esc(id), esc(title), esc(id), esc(desc))
}

// axis draws the ticks of a scale from 0 to top, at x positions of the
// plot, with labels written by label.
func axis(b *strings.Builder, h float64, ticks []float64, top float64, label func(float64) string) {
	for _, t := range ticks {
		x := labelWidth + plotWidth*t/top
		fmt.Fprintf(b, `<line class="grid" x1="%s" y1="%s" x2="%s" y2="%s"/>`, num(x), num(chartTop-6), num(x), num(h-4))
		fmt.Fprintf(b, `<text class="tick" x="%s" y="%s" text-anchor="middle">%s</text>`, num(x), num(chartTop-10), esc(label(t)))
	}
}

// surveyChart draws a survey table's estimates as bars from 0 to 100%
// with their 95% intervals as whiskers, one row per group.
func (l Lang) surveyChart(t reportTable, id string) template.HTML {
	h := chartTop + rowHeight*float64(len(t.Rows)) + 8
	var b strings.Builder
	svgOpen(&b, id, h, t.Caption, l.T("chart.survey_desc"))
	axis(&b, h, []float64{0, 25, 50, 75, 100}, 100, func(x float64) string { return strconv.Itoa(int(x)) + "%" })
	for i, r := range t.Rows {
		y := chartTop + rowHeight*float64(i)
		label := strings.Join(r.Group, " · ")
		if label == "" {
			label = l.T("report.everyone")
		}
		fmt.Fprintf(&b, `<g class="row"><text class="label" x="%s" y="%s" text-anchor="end">%s</text>`, num(labelWidth-8), num(y+rowHeight/2+5), esc(label))
		switch {
		case r.Hidden != "":
			fmt.Fprintf(&b, `<text class="hidden-mark" x="%s" y="%s">%s</text>`, num(labelWidth+4), num(y+rowHeight/2+5), esc(r.Hidden))
		case r.pct != nil:
			w := plotWidth * clamp(*r.pct) / 100
			fmt.Fprintf(&b, `<rect class="bar" x="%s" y="%s" width="%s" height="%s"/>`, num(labelWidth), num(y+6), num(w), num(rowHeight-12))
			text := r.Percent
			if r.low != nil && r.high != nil {
				x1, x2, ym := labelWidth+plotWidth*clamp(*r.low)/100, labelWidth+plotWidth*clamp(*r.high)/100, y+rowHeight/2
				fmt.Fprintf(&b, `<path class="whisker" d="M%s %sH%sM%s %sV%sM%s %sV%s"/>`, num(x1), num(ym), num(x2), num(x1), num(ym-7), num(ym+7), num(x2), num(ym-7), num(ym+7))
				text += " (" + r.Interval + ")"
			}
			fmt.Fprintf(&b, `<text class="value" x="%s" y="%s">%s</text>`, num(labelWidth+plotWidth+8), num(y+rowHeight/2+5), esc(text))
		default:
			fmt.Fprintf(&b, `<text class="hidden-mark" x="%s" y="%s">—</text>`, num(labelWidth+4), num(y+rowHeight/2+5))
		}
		b.WriteString(`</g>`)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func clamp(p float64) float64 { return max(0, min(100, p)) }

// equityChart draws one dimension's equity rows: for each group, bars of
// its applicants, eligible applicants and awards on the scale of all
// applicants (the total the page shows); a hidden count is written
// "suppressed" in its bar's place.
func (l Lang) equityChart(d equityDimension, total int, id string) template.HTML {
	const bars = 3
	rowH := rowHeight * bars
	h := chartTop + rowH*float64(len(d.Rows)) + 8
	var b strings.Builder
	svgOpen(&b, id, h, l.T("equity.chart_title", d.Name), l.T("chart.equity_desc"))
	top := float64(max(total, 1))
	ticks := []float64{0, top / 2, top}
	axis(&b, h, ticks, top, func(x float64) string { return strconv.Itoa(int(x + 0.5)) })
	for i, r := range d.Rows {
		y := chartTop + rowH*float64(i)
		fmt.Fprintf(&b, `<g class="row"><text class="label" x="%s" y="%s" text-anchor="end">%s</text>`, num(labelWidth-8), num(y+rowHeight/2+5), esc(r.Group))
		for k, f := range []equityFigure{r.Applicants, r.Eligible, r.Awarded} {
			yy := y + rowHeight*float64(k)
			name := l.T([]string{"equity.applicants", "equity.eligible", "equity.awarded"}[k])
			if f.n == nil {
				fmt.Fprintf(&b, `<text class="hidden-mark" x="%s" y="%s">%s: %s</text>`, num(labelWidth+4), num(yy+rowHeight/2+5), esc(name), esc(f.Text))
				continue
			}
			w := plotWidth * float64(*f.n) / top
			fmt.Fprintf(&b, `<rect class="bar bar-%d" x="%s" y="%s" width="%s" height="%s"/>`, k, num(labelWidth), num(yy+6), num(w), num(rowHeight-12))
			fmt.Fprintf(&b, `<text class="value" x="%s" y="%s">%s: %s</text>`, num(labelWidth+w+6), num(yy+rowHeight/2+5), esc(name), esc(f.Text))
		}
		b.WriteString(`</g>`)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
