import Foundation
import MarqueeRemote
import MarqueeTestSupport
import Testing

@testable import MarqueeTower

@Suite struct TowerTLSFilesTests {
    @Test func issuedCertificatesLoadAndAMismatchedOrExpiredOneIsRefused() throws {
        let directory = try TemporaryDirectory(prefix: "marquee-tls-unit")
        defer { directory.remove() }
        let files = TowerTLSFiles(directory: URL(fileURLWithPath: directory.file("tls")))
        let now = Date()
        let outcome = try CertificateIssuer.initialize(files, names: ["Tower.Example", "10.1.2.3", "fd00::7"], validityDays: 30, now: now)
        #expect(outcome.createdAuthority)
        #expect(outcome.names == ["tower.example", "10.1.2.3", "fd00::7", "localhost", "127.0.0.1", "::1"])

        let loaded = try TowerTLS(certificatePath: files.certificate.path, keyPath: files.key.path, now: now)
        #expect(loaded.names == ["tower.example", "10.1.2.3", "fd00:0:0:0:0:0:0:7", "localhost", "127.0.0.1", "0:0:0:0:0:0:0:1"])
        #expect(throws: TowerTLSError.keyMismatch(certificate: files.certificate.path, key: files.caKey.path)) {
            try TowerTLS(certificatePath: files.certificate.path, keyPath: files.caKey.path, now: now)
        }
        #expect {
            try TowerTLS(certificatePath: files.certificate.path, keyPath: files.key.path, now: now.addingTimeInterval(31 * 86_400))
        } throws: { "\($0)".contains("expired") }
        #expect {
            try TowerTLS(certificatePath: files.caKey.path, keyPath: files.key.path, now: now)
        } throws: { "\($0)".contains("not a readable PEM certificate") }
    }

    @Test func namesAreDNSNamesOrAddresses() {
        #expect(CertificateIssuer.isDNSName("tower-1.theaters.example"))
        #expect(CertificateIssuer.isDNSName("*.example"))
        #expect(!CertificateIssuer.isDNSName("bad name"))
        #expect(!CertificateIssuer.isDNSName("-lead.example"))
        #expect(!CertificateIssuer.isDNSName("a..b"))
        #expect(CertificateIssuer.ipAddressBytes("192.168.0.1") == [192, 168, 0, 1])
        #expect(CertificateIssuer.ipAddressBytes("::1")?.count == 16)
        #expect(CertificateIssuer.ipAddressBytes("300.1.1.1") == nil)
        #expect(throws: TowerTLSError.invalidName("x y")) { try CertificateIssuer.alternativeNames(for: ["x y"]) }
    }

    @Test func plainHTTPIsForLoopbackOnly() {
        #expect(TowerTrust.plainTextWarning(for: "http://10.0.0.5:7443") != nil)
        #expect(TowerTrust.plainTextWarning(for: "http://tower.example:7443")?.contains("unencrypted") == true)
        #expect(TowerTrust.plainTextWarning(for: "http://127.0.0.1:7443") == nil)
        #expect(TowerTrust.plainTextWarning(for: "http://localhost:7443") == nil)
        #expect(TowerTrust.plainTextWarning(for: "https://tower.example:7443") == nil)
        #expect(LoopbackAddress.contains("127.0.0.1") && LoopbackAddress.contains("::1") && LoopbackAddress.contains("localhost"))
        #expect(!LoopbackAddress.contains("0.0.0.0") && !LoopbackAddress.contains("10.0.0.1"))
    }
}
