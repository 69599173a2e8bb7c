import ArgumentParser
import Foundation
import MarqueeTower

/// `marquee tower init-tls`: a private CA and the tower's certificate.
struct TowerInitTLSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init-tls",
        abstract: "Create a private CA and a TLS certificate for the tower (an existing CA is kept).",
        discussion: """
            Writes ca.pem, ca-key.pem (0600), tower.pem and tower-key.pem (0600) into --dir (default: 'tls' beside the \
            database). Serve with 'marquee tower --tls-cert DIR/tower.pem --tls-key DIR/tower-key.pem'; give agents and \
            clients DIR/ca.pem with --tower-ca (or MARQUEE_TOWER_CA): they then trust that CA only. Running it again issues \
            a new certificate from the same CA, so pinned agents keep working.
            """
    )

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    @Option(help: ArgumentHelp("Directory for the CA and certificate.", valueName: "dir"))
    var dir: String?

    @Option(
        name: .customLong("name"),
        help: ArgumentHelp(
            "A DNS name or IP address agents use to reach the tower (repeatable); localhost, 127.0.0.1 and ::1 are always included.",
            valueName: "name"))
    var names: [String] = []

    @Option(help: "Days the tower certificate is valid.")
    var days = 825

    func validate() throws {
        guard (1...3_650).contains(days) else { throw ValidationError("--days must be 1…3650") }
    }

    func run() async throws {
        let files = dir.map { TowerTLSFiles(directory: URL(fileURLWithPath: $0)) } ?? TowerTLSFiles(besideDatabase: global.databasePath)
        let outcome = try CertificateIssuer.initialize(files, names: names, validityDays: days)
        switch global.output {
        case .json:
            struct Reply: Encodable {
                var caCertificate, caKey, certificate, key: String
                var createdAuthority: Bool
                var names: [String]
                var notValidAfter: Date
            }
            Output.printJSON(
                Reply(
                    caCertificate: files.caCertificate.path, caKey: files.caKey.path, certificate: files.certificate.path, key: files.key.path,
                    createdAuthority: outcome.createdAuthority, names: outcome.names, notValidAfter: outcome.notValidAfter))
        case .table:
            print(
                """
                \(outcome.createdAuthority ? "Created a private CA" : "Kept the existing CA"): \(files.caCertificate.path) (key \(files.caKey.path), 0600)
                Issued the tower certificate for \(outcome.names.joined(separator: ", ")), valid until \(outcome.notValidAfter)
                  marquee tower --listen 0.0.0.0:7443 --tls-cert \(files.certificate.path) --tls-key \(files.key.path)
                  marquee agent --tower https://NAME:7443 --tower-ca \(files.caCertificate.path) --enroll-token …
                """)
        }
    }
}
