import Crypto
import Foundation
import SwiftASN1
import X509

#if canImport(Glibc)
    import Glibc
#endif

/// Creates the tower's private CA and a server certificate it signs (`marquee tower init-tls`).
///
/// An existing CA in the directory is kept, so re-issuing the server certificate (new names, or
/// before it expires) does not break agents that pinned the CA. Keys are P-256 (ECDSA with SHA-256);
/// private keys are written with mode 0600 and never printed.
public enum CertificateIssuer {
    /// What ``initialize(_:names:validityDays:now:)`` did.
    public struct Outcome: Sendable, Equatable {
        public var files: TowerTLSFiles
        /// False when an existing CA was reused.
        public var createdAuthority: Bool
        /// The subject alternative names of the new server certificate.
        public var names: [String]
        public var notValidAfter: Date
    }

    /// Creates (or reuses) the CA in `files.directory` and issues the tower's certificate for
    /// `names` (DNS names or IP addresses) plus `localhost`, `127.0.0.1` and `::1`.
    public static func initialize(_ files: TowerTLSFiles, names: [String], validityDays: Int = 825, now: Date = Date()) throws -> Outcome {
        let subjectNames = try alternativeNames(for: names)
        try FileManager.default.createDirectory(at: files.directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let (authority, authorityKey, created) = try loadOrCreateAuthority(files, now: now)
        let serverKey = P256.Signing.PrivateKey()
        let notValidAfter = now.addingTimeInterval(Double(validityDays) * 86_400)
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage([.serverAuth])
            SubjectAlternativeNames(subjectNames.map(\.1))
            SubjectKeyIdentifier(hash: Certificate.PublicKey(serverKey.publicKey))
            AuthorityKeyIdentifier(keyIdentifier: SubjectKeyIdentifier(hash: authority.publicKey).keyIdentifier)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(serverKey.publicKey),
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: notValidAfter, issuer: authority.subject,
            subject: try DistinguishedName {
                OrganizationName("Marquee")
                CommonName(subjectNames.first?.0 ?? "marquee-tower")
            }, signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions, issuerPrivateKey: authorityKey)
        try write(serverKey.pemRepresentation, to: files.key, mode: 0o600)
        try write(try certificate.serializeAsPEM().pemString, to: files.certificate, mode: 0o644)
        return Outcome(files: files, createdAuthority: created, names: subjectNames.map(\.0), notValidAfter: notValidAfter)
    }

    /// The CA beside `files`, or a new one valid for ten years.
    private static func loadOrCreateAuthority(_ files: TowerTLSFiles, now: Date) throws -> (Certificate, Certificate.PrivateKey, Bool) {
        let manager = FileManager.default
        if manager.fileExists(atPath: files.caCertificate.path) {
            let certificate = try read(files.caCertificate, as: "PEM CA certificate") { try Certificate(pemEncoded: $0) }
            let key = try read(files.caKey, as: "PEM private key") { try Certificate.PrivateKey(pemEncoded: $0) }
            guard key.publicKey == certificate.publicKey else {
                throw TowerTLSError.keyMismatch(certificate: files.caCertificate.path, key: files.caKey.path)
            }
            return (certificate, key, false)
        }
        let signingKey = P256.Signing.PrivateKey()
        let key = Certificate.PrivateKey(signingKey)
        let name = try DistinguishedName {
            OrganizationName("Marquee")
            CommonName("Marquee tower CA \(Int(now.timeIntervalSince1970))")
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.publicKey, notValidBefore: now.addingTimeInterval(-300),
            notValidAfter: now.addingTimeInterval(10 * 365 * 86_400), issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: key.publicKey)
            }, issuerPrivateKey: key)
        try write(signingKey.pemRepresentation, to: files.caKey, mode: 0o600)
        try write(try certificate.serializeAsPEM().pemString, to: files.caCertificate, mode: 0o644)
        return (certificate, key, true)
    }

    /// `names` (deduplicated, in order) after `localhost`, `127.0.0.1` and `::1`, as SAN entries.
    static func alternativeNames(for names: [String]) throws -> [(String, GeneralName)] {
        var seen = Set<String>()
        var result: [(String, GeneralName)] = []
        for name in names.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) + ["localhost", "127.0.0.1", "::1"] {
            guard !name.isEmpty, seen.insert(name).inserted else { continue }
            if let address = ipAddressBytes(name) {
                result.append((name, .ipAddress(ASN1OctetString(contentBytes: address[...]))))
            } else if isDNSName(name) {
                result.append((name, .dnsName(name)))
            } else {
                throw TowerTLSError.invalidName(name)
            }
        }
        return result
    }

    /// The 4 or 16 bytes of an IPv4 or IPv6 address, or nil.
    static func ipAddressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    /// Letters, digits, hyphens and dots, labels of 1–63 characters (a leading `*.` allowed).
    static func isDNSName(_ name: String) -> Bool {
        let body = name.hasPrefix("*.") ? String(name.dropFirst(2)) : name
        let labels = body.split(separator: ".", omittingEmptySubsequences: false)
        return !labels.isEmpty && body.count <= 253
            && labels.allSatisfy { label in
                (1...63).contains(label.count) && label.first != "-" && label.last != "-"
                    && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            }
    }

    private static func read<Value>(_ url: URL, as expected: String, _ parse: (String) throws -> Value) throws -> Value {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw TowerTLSError.unreadable(path: url.path, expected: expected, detail: "\(error.localizedDescription)")
        }
        do {
            return try parse(text)
        } catch {
            throw TowerTLSError.unreadable(path: url.path, expected: expected, detail: "\(error)")
        }
    }

    /// Writes atomically with `mode` set before any byte is in place.
    private static func write(_ text: String, to url: URL, mode: Int) throws {
        let temporary = url.appendingPathExtension("tmp")
        let manager = FileManager.default
        try? manager.removeItem(at: temporary)
        guard manager.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: mode]) else {
            throw TowerTLSError.unwritable(path: temporary.path, detail: "cannot create")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.write(contentsOf: Data(text.utf8))
            try handle.synchronize()
            try handle.close()
            // rename(2) replaces an existing file atomically.
            guard rename(temporary.path, url.path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            try? manager.removeItem(at: temporary)
            throw TowerTLSError.unwritable(path: url.path, detail: "\(error.localizedDescription)")
        }
    }
}
