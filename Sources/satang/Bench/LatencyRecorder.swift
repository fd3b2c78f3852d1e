/// Latencies of one benchmark run, and the rate and percentiles printed from them.
struct LatencySummary {
    let count: Int
    let seconds: Double
    let p50Milliseconds: Double
    let p99Milliseconds: Double

    var perSecond: Double { Double(count) / seconds }

    /// `latencies` in nanoseconds, from every worker of the run.
    init(latencies: [Int64], seconds: Double) {
        let sorted = latencies.sorted()
        func percentile(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let index = min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)
            return Double(sorted[max(0, index)]) / 1_000_000
        }
        self.count = sorted.count
        self.seconds = seconds
        self.p50Milliseconds = percentile(0.50)
        self.p99Milliseconds = percentile(0.99)
    }
}

extension Duration {
    var nanosecondsValue: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
    var secondsValue: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
