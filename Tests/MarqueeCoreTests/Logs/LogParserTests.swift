import Foundation
import MarqueeCore
import Testing

@Suite struct LogParserTests {
    static let utc = TimeZone(identifier: "UTC")!
    /// 2026-11-27 05:00:00 UTC.
    static let now = Date(timeIntervalSince1970: 1_795_755_600)

    @Test func kernelRecordsCarryPrioritySequenceAndBootRelativeTime() {
        let boot = Self.now.addingTimeInterval(-1_000)
        let parsed = KernelMessageParser.parse(
            "4,1234,5000000,-;sched: RT throttling activated\n SUBSYSTEM=cpu\n", bootTime: boot, fallbackTime: Self.now)
        #expect(parsed.entry.severity == .warning)
        #expect(parsed.entry.layer == .kernel)
        #expect(parsed.entry.message == "sched: RT throttling activated")
        #expect(parsed.sequence == 1234)
        #expect(parsed.time == boot.addingTimeInterval(5))
        // Facility bits are ignored; escaped bytes are decoded
        #expect(KernelMessageParser.parse("27,1,0,-;eth0: \\x7e link up", bootTime: boot, fallbackTime: Self.now).entry.message == "eth0: ~ link up")
        #expect(KernelMessageParser.parse("27,1,0,-;x", bootTime: boot, fallbackTime: Self.now).entry.severity == .error)
        // A record that is not in the format is kept whole
        let odd = KernelMessageParser.parse("garbage without a header", bootTime: boot, fallbackTime: Self.now)
        #expect(odd.entry.message == "garbage without a header")
        #expect(odd.time == Self.now)
        #expect(KernelMessageParser.bootTime(uptime: "350.25 690.10\n", now: Self.now) == Self.now.addingTimeInterval(-350.25))
    }

    @Test func journalLinesMapTransportAndIdentifierToLayers() throws {
        let kernel = try #require(
            JournalRecordParser.parse(
                #"{"__REALTIME_TIMESTAMP":"1795755600123456","PRIORITY":"4","_TRANSPORT":"kernel","MESSAGE":"hrtimer: interrupt took 812345 ns"}"#))
        #expect(kernel.entry.layer == .kernel)
        #expect(kernel.entry.severity == .warning)
        #expect(abs(kernel.time!.timeIntervalSince1970 - 1_795_755_600.123456) < 0.000_01)
        let runtime = try #require(
            JournalRecordParser.parse(
                #"{"PRIORITY":"3","SYSLOG_IDENTIFIER":"containerd","_SYSTEMD_UNIT":"containerd.service","MESSAGE":"task cgroup cpu throttled"}"#))
        #expect(runtime.entry.layer == .runtime)
        #expect(runtime.entry.source == "containerd")
        #expect(runtime.time == nil)
        // Missing fields get defaults; MESSAGE as bytes (not UTF-8 text) is decoded; the unit names the source
        let bytes = try #require(JournalRecordParser.parse(#"{"_SYSTEMD_UNIT":"cron.service","MESSAGE":[104,105]}"#))
        #expect(bytes.entry == LogEntry(severity: .info, layer: .os, source: "cron", message: "hi"))
        // Not JSON: kept as it was read
        #expect(JournalRecordParser.parse("-- No entries --")?.entry.message == "-- No entries --")
        #expect(JournalRecordParser.parse("   ") == nil)
    }

    @Test func syslogLinesInTheFormsRealHostsWrite() throws {
        let bsd = try #require(
            SyslogLineParser.parse("Nov 27 04:52:08 theater-h1 sshd[1234]: Accepted publickey for ops", now: Self.now, timeZone: Self.utc))
        #expect(bsd.entry == LogEntry(severity: .info, layer: .os, source: "sshd", message: "Accepted publickey for ops"))
        #expect(bsd.time == Self.now.addingTimeInterval(-(7 * 60 + 52)))
        // Space-padded day, with a priority; containerd is the runtime layer
        let padded = try #require(
            SyslogLineParser.parse("<27>Nov  7 23:59:59 h1 containerd[88]: failed to stop task", now: Self.now, timeZone: Self.utc))
        #expect(padded.entry.layer == .runtime)
        #expect(padded.entry.severity == .error)
        #expect(padded.time.map { Calendar(identifier: .gregorian).dateComponents(in: Self.utc, from: $0).day } == 7)
        // A December line read in January belongs to last year
        let january = Date(timeIntervalSince1970: 1_798_761_600)  // 2027-01-01 00:00 UTC
        let december = try #require(SyslogLineParser.parse("Dec 31 23:00:00 h1 kernel: late", now: january, timeZone: Self.utc))
        #expect(december.time == january.addingTimeInterval(-3_600))
        #expect(december.entry.layer == .kernel)
        // rsyslog's RFC 3339 default
        let precise = try #require(
            SyslogLineParser.parse("2026-11-27T06:52:08.250000+02:00 h1 systemd[1]: Started session 4.", now: Self.now, timeZone: Self.utc))
        #expect(precise.time == Self.now.addingTimeInterval(-(7 * 60 + 52) + 0.25))
        #expect(precise.entry.source == "systemd")
        // RFC 5424 with structured data and a BOM
        let rfc5424 = try #require(
            SyslogLineParser.parse(
                #"<165>1 2026-11-27T04:52:08.003Z h1 evntslog - ID47 [exampleSDID@32473 iut="3" eventID="1011\]"] \#u{FEFF}An application event"#,
                now: Self.now, timeZone: Self.utc))
        #expect(rfc5424.entry.message == "An application event")
        #expect(rfc5424.entry.source == "evntslog")
        #expect(rfc5424.entry.severity == .notice)
        #expect(SyslogLineParser.parse("<14>1 - - - - - -", now: Self.now, timeZone: Self.utc)?.time == nil)
    }

    @Test func badTimestampsKeepTheirLinesAndHeaderlessLinesContinue() throws {
        // An impossible date has a header: the message is kept, without a time
        let impossible = try #require(SyslogLineParser.parse("Feb 31 25:61:00 h1 app: still here", now: Self.now, timeZone: Self.utc))
        #expect(impossible.time == nil)
        #expect(impossible.entry.message == "still here")
        #expect(SyslogLineParser.parse("2026-13-45T99:00:00Z h1 app: odd", now: Self.now, timeZone: Self.utc)?.time == nil)
        // No header: a continuation
        #expect(SyslogLineParser.parse("\tat com.example.Main.run(Main.java:42)", now: Self.now, timeZone: Self.utc) == nil)
        #expect(SyslogLineParser.parse("", now: Self.now, timeZone: Self.utc) == nil)
    }

    @Test func theJoinerAppendsStackTracesAndDatesEveryRecord() {
        var joiner = MultilineJoiner(orphan: LogEntry(severity: .info, layer: .os, source: "syslog", message: ""))
        let lines = [
            "Nov 27 04:52:08 h1 java[7]: Exception in thread \"main\" java.lang.IllegalStateException",
            "\tat com.example.Main.run(Main.java:42)",
            "Caused by: java.io.IOException: disk full",
            "Feb 31 25:61:00 h1 app: a bad timestamp",
            "Nov 27 04:53:00 h1 app: next",
        ]
        var records: [(time: Date, entry: LogEntry)] = []
        for line in lines {
            records += joiner.push(SyslogLineParser.parse(line, now: Self.now, timeZone: Self.utc), raw: line, readAt: Self.now)
        }
        records += joiner.flush()
        #expect(records.count == 3)
        #expect(records[0].entry.message.split(separator: "\n").count == 3)
        #expect(records[0].entry.message.hasSuffix("Caused by: java.io.IOException: disk full"))
        // The bad timestamp takes the previous record's time
        #expect(records[1].time == records[0].time)
        #expect(records[2].time == Self.now.addingTimeInterval(-7 * 60))
        // A continuation with nothing before it is a record of its own, at the time it was read
        var fresh = MultilineJoiner(orphan: LogEntry(severity: .info, layer: .os, source: "syslog", message: ""))
        #expect(fresh.push(nil, raw: "  orphan", readAt: Self.now).isEmpty)
        #expect(fresh.flush().map(\.entry.message) == ["  orphan"])
        #expect(MultilineJoiner.isContinuation("    at x") && !MultilineJoiner.isContinuation("GET /"))
    }
}
