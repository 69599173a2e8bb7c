import Foundation

/// CPU time counters for telling a benchmark window's load apart: this process (the load
/// generator) and the whole machine, including time the hypervisor gave to other guests.
struct CPUTimes: Sendable {
    /// This process's user + system CPU seconds.
    var process: Double
    /// Machine-wide seconds, summed over all cores, from `/proc/stat`.
    var busy: Double
    var idle: Double
    /// Time a virtual CPU wanted to run but the hypervisor ran someone else.
    var steal: Double

    /// The counters now; machine fields stay 0 where `/proc/stat` is unreadable.
    static func now() -> CPUTimes {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        var times = CPUTimes(process: seconds(usage.ru_utime) + seconds(usage.ru_stime), busy: 0, idle: 0, steal: 0)
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = stat.split(separator: "\n").first, line.hasPrefix("cpu ")
        else { return times }
        // user nice system idle iowait irq softirq steal (guest time is already inside user).
        let ticks = line.split(separator: " ").dropFirst().prefix(8).map { Double($0) ?? 0 }
        guard ticks.count == 8 else { return times }
        let hertz = Double(sysconf(Int32(_SC_CLK_TCK)))
        times.idle = (ticks[3] + ticks[4]) / hertz
        times.steal = ticks[7] / hertz
        times.busy = (ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6]) / hertz
        return times
    }

    /// How the machine's time went in the window from `start` to `self`: the busy and the stolen
    /// fractions of all cores' time (the rest was idle).
    func shares(since start: CPUTimes) -> (busy: Double, steal: Double) {
        let busy = self.busy - start.busy
        let steal = self.steal - start.steal
        let total = busy + (idle - start.idle) + steal
        guard total > 0 else { return (0, 0) }
        return (busy / total, steal / total)
    }
}
