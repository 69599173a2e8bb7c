import Crypto
import Foundation

/// One entry of the tamper-evident audit trail: who did what to what, when and why.
///
/// Records form a hash chain: each one's ``hash`` covers its fields and the previous record's
/// hash, so editing or removing any record breaks every hash after it (``AuditChain/verify(_:)``).
public struct AuditRecord: Codable, Sendable, Equatable {
    /// 1, 2, 3, … without gaps.
    public var sequence: Int64
    /// Milliseconds since 1970 (what the hash covers; ``time`` is derived from it).
    public var timeMillis: Int64
    /// The principal (`name (role@tenant)`), or `agent/HOST`.
    public var actor: String
    /// What was done: `tokens.create`, `POST /v1/specs`, `site.lockdown`, …
    public var action: String
    /// What it was done to: a path, a token id, a site id.
    public var target: String
    public var reason: String?
    /// The hash of the record before (64 zeros for the first).
    public var previousHash: String
    /// Hex SHA-256 over the fields above.
    public var hash: String

    public var time: Date { Date(timeIntervalSince1970: Double(timeMillis) / 1_000) }

    /// What ``hash`` must be for these fields.
    public static func digest(
        sequence: Int64, timeMillis: Int64, actor: String, action: String, target: String, reason: String?, previousHash: String
    ) -> String {
        // Length-prefixed fields: no two different records serialise to the same bytes.
        var bytes = Data()
        for field in [String(sequence), String(timeMillis), actor, action, target, reason ?? "\u{0}", previousHash] {
            let utf8 = Data(field.utf8)
            bytes.append(contentsOf: String(utf8.count).utf8)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(utf8)
        }
        return Secret.hex(SHA256.hash(data: bytes))
    }

    /// The next record after `previous` (or the first one).
    public static func next(
        after previous: AuditRecord?, time: Date, actor: String, action: String, target: String, reason: String?
    ) -> AuditRecord {
        let sequence = (previous?.sequence ?? 0) + 1
        let millis = Int64((time.timeIntervalSince1970 * 1_000).rounded(.down))
        let previousHash = previous?.hash ?? AuditChain.genesis
        return AuditRecord(
            sequence: sequence, timeMillis: millis, actor: actor, action: action, target: target, reason: reason, previousHash: previousHash,
            hash: digest(
                sequence: sequence, timeMillis: millis, actor: actor, action: action, target: target, reason: reason, previousHash: previousHash))
    }
}

/// Checks an audit trail end to end.
public enum AuditChain {
    /// The `previousHash` of the first record.
    public static let genesis = String(repeating: "0", count: 64)

    /// What a verification found.
    public struct Verification: Codable, Sendable, Equatable {
        /// Records checked.
        public var records: Int
        /// The last record's hash: keep it somewhere else and pass it as `expectedHead` later to
        /// detect records cut off the end of the trail.
        public var head: String
        /// The first problem, if any: which record and what is wrong with it.
        public var problem: Problem?

        public var isIntact: Bool { problem == nil }
    }

    /// A broken link.
    public struct Problem: Codable, Sendable, Equatable, CustomStringConvertible {
        public var sequence: Int64
        public var reason: String
        public var description: String { "record \(sequence): \(reason)" }
    }

    /// Verifies `records` (in sequence order): contiguous sequence numbers from 1, each hash
    /// matching its fields, each `previousHash` matching the record before; with `expectedHead`,
    /// also that the trail still contains that record (nothing was cut off the end).
    public static func verify(_ records: [AuditRecord], expectedHead: String? = nil) -> Verification {
        var previous: AuditRecord?
        func result(_ problem: Problem?) -> Verification {
            Verification(records: records.count, head: records.last?.hash ?? genesis, problem: problem)
        }
        for record in records {
            let expected = (previous?.sequence ?? 0) + 1
            if record.sequence != expected {
                return result(Problem(sequence: expected, reason: "missing (the next record is \(record.sequence)): records were removed"))
            }
            if record.previousHash != (previous?.hash ?? genesis) {
                return result(Problem(sequence: record.sequence, reason: "does not follow record \(expected - 1): the chain was rewritten"))
            }
            let digest = AuditRecord.digest(
                sequence: record.sequence, timeMillis: record.timeMillis, actor: record.actor, action: record.action, target: record.target,
                reason: record.reason, previousHash: record.previousHash)
            if digest != record.hash { return result(Problem(sequence: record.sequence, reason: "its fields were edited (hash mismatch)")) }
            previous = record
        }
        if let expectedHead, expectedHead != (records.last?.hash ?? genesis), !records.contains(where: { $0.hash == expectedHead }) {
            return result(
                Problem(
                    sequence: (records.last?.sequence ?? 0) + 1,
                    reason: "the expected head \(expectedHead.prefix(12))… is gone: records were cut off the end"))
        }
        return result(nil)
    }
}
