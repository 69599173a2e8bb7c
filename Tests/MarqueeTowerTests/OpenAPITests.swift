import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MarqueeCore
import MarqueeTestSupport
import MarqueeTower
import Testing
import Yams

/// `docs/openapi.yaml` and the tower's routes agree, and the tower serves the document.
@Suite struct OpenAPITests {
    static let specPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/openapi.yaml").path

    private func router() async throws -> Router<TowerRequestContext> {
        let store = try await Fixtures.store(with: Fixtures.fleet(theaters: 2))
        return Tower.router(
            api: LocalFleetAPI(inventory: store, events: store), lifecycle: HostLifecycle(store: store), adminToken: "t")
    }

    @Test func everyRouteIsInTheSpecAndEveryOperationIsARoute() async throws {
        let text = try String(contentsOfFile: Self.specPath, encoding: .utf8)
        let spec = try #require(try Yams.load(yaml: text) as? [String: Any])
        #expect(spec["openapi"] as? String == "3.1.0")
        let paths = try #require(spec["paths"] as? [String: Any])
        let methods: Set<String> = ["get", "post", "put", "patch", "delete"]
        var documented: Set<String> = []
        for (path, item) in paths {
            for method in (item as? [String: Any] ?? [:]).keys where methods.contains(method) {
                documented.insert("\(method.uppercased()) \(path)")
            }
        }
        let routed = Set(try await router().routes.map { "\($0.method) \($0.path)" })
        #expect(routed.count > 15)
        #expect(routed.subtracting(documented).isEmpty, "routes missing from docs/openapi.yaml: \(routed.subtracting(documented).sorted())")
        #expect(documented.subtracting(routed).isEmpty, "documented operations with no route: \(documented.subtracting(routed).sorted())")
    }

    @Test func theTowerServesTheDocumentWithoutAToken() async throws {
        let text = try String(contentsOfFile: Self.specPath, encoding: .utf8)
        let application = Application(router: try await router())
        try await application.test(.router) { client in
            try await client.execute(uri: "/v1/openapi.yaml", method: .get) { response in
                #expect(response.status == .ok)
                // The embedded copy is regenerated from docs/openapi.yaml by scripts/embed-openapi
                #expect(String(buffer: response.body) == text, "run scripts/embed-openapi")
            }
        }
    }
}
