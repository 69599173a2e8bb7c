import Foundation

/// Whether a listen address stays on this machine (the only place the tower serves plain HTTP).
public enum LoopbackAddress {
    public static func contains(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: ["[", "]"])
        return host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
