import Foundation

/// The `${…}` references a spec's env values and args may hold.
///
/// `${site.labels.KEY}` takes the value of the site's label `KEY` at placement;
/// `${secret:VAULT/NAME/KEY}` names a secret that the vault resolves on the host.
public enum SpecTemplate {
    /// A reference to one key of a secret in a vault.
    public struct SecretReference: Codable, Sendable, Equatable, Hashable {
        public var vault: String
        public var name: String
        public var key: String

        public init(vault: String, name: String, key: String) {
            self.vault = vault
            self.name = name
            self.key = key
        }
    }

    /// A `${…}` reference that is neither form.
    public struct MalformedReference: Error, Equatable {
        public var text: String
        public var message: String { "`${\(text)}` is not `${site.labels.KEY}` or `${secret:VAULT/NAME/KEY}`" }
    }

    /// The contents of each `${…}` in `text`, in order.
    static func references(in text: String) -> [String] {
        var result: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
            result.append(String(rest[start.upperBound..<end]))
            rest = rest[rest.index(after: end)...]
        }
        return result
    }

    /// Checks every reference in `text`.
    public static func validate(_ text: String) throws(MalformedReference) {
        for reference in references(in: text) {
            if reference.hasPrefix("site.labels."), reference.count > "site.labels.".count { continue }
            if reference.hasPrefix("secret:"), reference.dropFirst(7).split(separator: "/", omittingEmptySubsequences: false).count == 3,
                !reference.dropFirst(7).split(separator: "/", omittingEmptySubsequences: false).contains(where: \.isEmpty)
            {
                continue
            }
            throw MalformedReference(text: reference)
        }
    }

    static func secretReferences(in text: String) -> [SecretReference] {
        references(in: text).compactMap { reference in
            guard reference.hasPrefix("secret:") else { return nil }
            let parts = reference.dropFirst(7).split(separator: "/").map(String.init)
            return parts.count == 3 ? SecretReference(vault: parts[0], name: parts[1], key: parts[2]) : nil
        }
    }

    /// The site labels `text` refers to.
    public static func labelReferences(in text: String) -> [String] {
        references(in: text).compactMap { $0.hasPrefix("site.labels.") ? String($0.dropFirst("site.labels.".count)) : nil }
    }

    /// Replaces every `${site.labels.KEY}` with the site's label; names the first missing label.
    public static func resolve(_ text: String, labels: Labels) throws(MissingLabel) -> String {
        guard text.contains("${site.labels.") else { return text }
        var result = text
        for key in labelReferences(in: text) {
            guard let value = labels[key] else { throw MissingLabel(key: key) }
            result = result.replacingOccurrences(of: "${site.labels.\(key)}", with: value)
        }
        return result
    }

    /// A site lacks a label a spec refers to.
    public struct MissingLabel: Error, Equatable {
        public var key: String
    }
}
