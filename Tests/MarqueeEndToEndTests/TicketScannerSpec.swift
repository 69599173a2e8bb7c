import Crypto
import Foundation

/// `ticket-scanner`: an application whose containers get a secret in their environment and write
/// its SHA-256 to a file of their own in `seen` (outside the agents' data directories), so a test
/// sees which containers received the value without the value ever being written.
enum TicketScannerSpec {
    /// The spec set (application and deployment to every theater), `replicas` containers.
    static func yaml(seen: String, replicas: Int) -> String {
        """
        apiVersion: marquee/v1
        kind: Application
        name: ticket-scanner
        version: 1.0.0
        tenant: mtc-platform
        services:
          - name: scan
            replicas: \(replicas)
            containers:
              - name: scan
                image: registry.marquee.example/mtc-platform/ticket-scanner:1.0.0
                command: [/bin/sh, -c, 'printf %s "$UPLINK" | sha256sum > \(seen)/$$; exec sleep 600']
                env:
                  UPLINK: "${secret:platform/ticket-scanner/uplink-token}"
                resources: {cpu: 100m, memory: 32Mi}
        ---
        apiVersion: marquee/v1
        kind: Deployment
        application: ticket-scanner
        version: "*"
        placement:
          match: has(country)
        rollout:
          healthy-for: 2s
          deadline: 2m
        """
    }

    /// How many containers wrote the digest of `plaintext` into `seen`.
    static func sightings(of plaintext: String, in seen: String) throws -> Int {
        let digest = SHA256.hash(data: Data(plaintext.utf8)).map { String(format: "%02x", $0) }.joined()
        return try FileManager.default.contentsOfDirectory(atPath: seen)
            .compactMap { try? String(contentsOfFile: seen + "/" + $0, encoding: .utf8) }
            .filter { $0.hasPrefix(digest) }.count
    }
}
