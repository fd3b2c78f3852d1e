import Foundation

/// A bar chart drawn as inline SVG (no script, no external file), for printable report pages.
struct SVGBarChart {
    var title: String
    /// Label under each bar (e.g. a day) and its value.
    var bars: [(label: String, value: Double)]
    var width = 720
    var height = 240
    /// How a value is written on the axis and above bars.
    var format: (Double) -> String = { String(format: "%.2f", $0) }

    var svg: String {
        let left = 70.0, bottom = 40.0, top = 30.0, right = 10.0
        let plotWidth = Double(width) - left - right, plotHeight = Double(height) - top - bottom
        let highest = max(bars.map(\.value).max() ?? 0, 1)
        let slot = plotWidth / Double(max(bars.count, 1))
        var parts = [
            #"<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 \#(width) \#(height)" width="100%" style="max-width:\#(width)px">"#,
            "<title>\(PaymentPage.escape(title))</title>",
            #"<text x="\#(left)" y="18" font-size="14" font-weight="600">\#(PaymentPage.escape(title))</text>"#,
            #"<line x1="\#(left)" y1="\#(top + plotHeight)" x2="\#(left + plotWidth)" y2="\#(top + plotHeight)" stroke="dimgray"/>"#,
        ]
        for step in 0...4 {
            let value = highest * Double(step) / 4
            let y = top + plotHeight - plotHeight * Double(step) / 4
            parts.append(#"<line x1="\#(left)" y1="\#(y)" x2="\#(left + plotWidth)" y2="\#(y)" stroke="gainsboro"/>"#)
            parts.append(#"<text x="\#(left - 6)" y="\#(y + 4)" font-size="10" text-anchor="end">\#(format(value))</text>"#)
        }
        for (index, bar) in bars.enumerated() {
            let barHeight = plotHeight * max(bar.value, 0) / highest  // a net negative day draws no bar
            let x = left + slot * Double(index) + slot * 0.15
            parts.append(#"<rect x="\#(x)" y="\#(top + plotHeight - barHeight)" width="\#(slot * 0.7)" height="\#(barHeight)" fill="steelblue"><title>\#(PaymentPage.escape(bar.label)): \#(format(bar.value))</title></rect>"#)
            if bars.count <= 31 {
                parts.append(#"<text x="\#(x + slot * 0.35)" y="\#(top + plotHeight + 14)" font-size="9" text-anchor="middle">\#(PaymentPage.escape(String(bar.label.suffix(5))))</text>"#)
            }
        }
        if bars.isEmpty {
            parts.append(#"<text x="\#(left + plotWidth / 2)" y="\#(top + plotHeight / 2)" font-size="12" text-anchor="middle" fill="gray">no data in this period</text>"#)
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }
}
