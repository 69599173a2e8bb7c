import ArgumentParser
import Foundation
import MarqueeCore

/// `marquee audit list|verify`.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The hash-chained audit trail: every write through the API and every security action, who, what, when, why.",
        subcommands: [List.self, Verify.self],
        defaultSubcommand: List.self
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Audit records, oldest first.")
        @Option(help: "Only records after this sequence number.") var after: Int64 = 0
        @Option(help: "At most this many (1…10000).") var limit: Int = 100
        @OptionGroup(title: "Global Options") var global: GlobalOptions

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let records = try await global.securityAPI().auditRecords(after: after, limit: limit)
            switch global.output {
            case .json: Output.printJSON(records)
            case .table:
                let formatter = ISO8601DateFormatter()
                var table = TextTable(columns: [
                    .init("SEQ", alignRight: true), .init("TIME"), .init("ACTOR"), .init("ACTION"), .init("TARGET"), .init("REASON"),
                ])
                for record in records {
                    table.append([
                        String(record.sequence), formatter.string(from: record.time), record.actor, record.action, record.target, record.reason ?? "",
                    ])
                }
                print(table.render())
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the whole chain: any edited, reordered or removed record is found (exit 1).",
            discussion: "Keep the printed head somewhere else; `--head` later also finds records cut off the end.")
        @Option(help: "A head hash printed by an earlier verify.") var head: String?
        @OptionGroup(title: "Global Options") var global: GlobalOptions

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let verification = try await global.securityAPI().verifyAudit(expectedHead: head)
            switch global.output {
            case .json: Output.printJSON(verification)
            case .table:
                if let problem = verification.problem {
                    print("Audit trail BROKEN at \(problem) (\(verification.records) records read).")
                } else {
                    print("Audit trail intact: \(verification.records) records, head \(verification.head)")
                }
            }
            if !verification.isIntact { throw ExitCode(1) }
        }
    }
}
