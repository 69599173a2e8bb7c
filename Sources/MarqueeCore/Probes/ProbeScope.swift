import Foundation

/// What a latency series covers: one host, one site, one country, or the whole fleet.
///
/// Written as text: `fleet`, `country:SE`, `site:se-sto-001`, `host:se-sto-001-h1`.
public enum ProbeScope: Hashable, Sendable, Codable, CustomStringConvertible {
    case host(String)
    case site(String)
    case country(String)
    case fleet

    /// The stored scope column.
    public var kind: String {
        switch self {
        case .host: "host"
        case .site: "site"
        case .country: "country"
        case .fleet: "fleet"
        }
    }

    /// The stored key column (empty for the fleet).
    public var key: String {
        switch self {
        case .host(let id), .site(let id), .country(let id): id
        case .fleet: ""
        }
    }

    public init?(kind: String, key: String) {
        switch kind {
        case "host": self = .host(key)
        case "site": self = .site(key)
        case "country": self = .country(key)
        case "fleet": self = .fleet
        default: return nil
        }
    }

    public var description: String { self == .fleet ? "fleet" : "\(kind):\(key)" }

    /// Parses `fleet` or `KIND:KEY`.
    public init?(_ text: String) {
        if text == "fleet" {
            self = .fleet
            return
        }
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex, text.index(after: colon) != text.endIndex,
            let scope = ProbeScope(kind: String(text[..<colon]), key: String(text[text.index(after: colon)...])), scope != .fleet
        else { return nil }
        self = scope
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let scope = ProbeScope(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a probe scope: \(text)"))
        }
        self = scope
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Time resolutions of stored series.
public enum ProbeResolution: Int, Sendable, Codable, CaseIterable {
    case minute = 60
    case hour = 3_600

    /// How long buckets of this resolution are kept.
    public var retention: TimeInterval {
        switch self {
        case .minute: 48 * 3_600
        case .hour: 30 * 86_400
        }
    }

    /// The start of the bucket holding `time`, in seconds since 1970.
    public func bucket(of time: Date) -> Int64 {
        let seconds = Int64(time.timeIntervalSince1970.rounded(.down))
        let size = Int64(rawValue)
        return seconds - ((seconds % size) + size) % size
    }
}
