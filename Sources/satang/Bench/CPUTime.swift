import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// CPU time used so far, by the whole machine and by this process, to print what one request costs.
///
/// Throughput on a shared two-core machine varies ±15% from run to run; CPU time per request varies far
/// less, so it is what shows whether a change made the work cheaper.
struct CPUTime {
    /// Busy time of every core together (user, nice, system, irq, softirq, steal), from `/proc/stat`.
    var machineSeconds: Double
    /// This process's user and system time: the server, and in a benchmark also its clients and sandbox bank.
    var processSeconds: Double

    static func now() -> CPUTime {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let process = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1_000_000
        return CPUTime(machineSeconds: machineBusySeconds() ?? .nan, processSeconds: process)
    }

    static func - (after: CPUTime, before: CPUTime) -> CPUTime {
        CPUTime(machineSeconds: after.machineSeconds - before.machineSeconds,
                processSeconds: after.processSeconds - before.processSeconds)
    }

    /// "machine 612 µs, this process 280 µs" per one of `count` operations.
    func perOperation(_ count: Int) -> String {
        guard count > 0 else { return "no operations" }
        let machine = machineSeconds.isNaN ? "?" : String(format: "%.0f", machineSeconds / Double(count) * 1e6)
        return String(format: "CPU per operation: machine %@ µs, satang process %.0f µs", machine, processSeconds / Double(count) * 1e6)
    }

    /// "machine 95% busy" over `seconds` of wall time: near 100%, the server, not its clients, set the pace.
    func machineBusy(over seconds: Double) -> String {
        let cores = Double(max(sysconf(Int32(_SC_NPROCESSORS_ONLN)), 1))
        guard !machineSeconds.isNaN, seconds > 0 else { return "machine busy: ?" }
        return String(format: "machine %.0f%% busy", machineSeconds / (seconds * cores) * 100)
    }

    private static func machineBusySeconds() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = stat.split(separator: "\n").first, line.hasPrefix("cpu ")
        else { return nil }
        let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard fields.count >= 8 else { return nil }
        // user nice system idle iowait irq softirq steal: all but idle and iowait are busy.
        let busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]
        return busy / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
