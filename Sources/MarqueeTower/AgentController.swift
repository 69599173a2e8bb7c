import Foundation
import Hummingbird
import MarqueeCore

/// Call-home routes for agents (`/v1/agent/...`) and enrollment tokens for operators.
struct AgentController<Store: LifecycleStore & InventoryReading & SecretStore & SiteKeyStore & QuotaStore & PeerDirectory> {
    let lifecycle: HostLifecycle<Store>
    /// Seals the secrets a host's containers reference into its desired state; gives out site keys.
    let secrets: EdgeSecretDelivery<Store>
    var clock: any FleetClock = SystemClock()
    /// The longest a desired-state long-poll may wait.
    static var maximumWaitSeconds: Int { 60 }

    /// `POST /v1/agent/enroll` body.
    struct EnrollRequest: Codable {
        var token: String?
        var site: String?
        var facts: HostFacts
    }

    /// `POST /v1/hosts/{id}/approve|reject` and `POST /v1/preregistrations` bodies.
    struct DecisionRequest: Codable {
        var actor: String?
    }

    struct PreRegistrationRequest: Codable {
        var serialNumber: String
        var site: String
        var actor: String?
    }

    /// `POST /v1/enroll-tokens` body and reply.
    struct TokenRequest: Codable {
        var site: String
        var ttlSeconds: Int?
    }

    func addAgentRoutes(to group: RouterGroup<TowerRequestContext>) {
        addPeerRoutes(to: group)
        group.post("enroll") { request, context in
            let body: EnrollRequest = try await StrictJSON.decode(
                request, context: context, allowed: ["": ["token", "site", "facts"], "facts": AgentBodyKeys.facts])
            do {
                switch try await lifecycle.enroll(token: body.token, siteID: body.site, facts: body.facts) {
                case .enrolled(let enrollment):
                    return try Payload(enrollment).response(from: request, context: context)
                case .pending(let hostID, let siteID):
                    var response = try Payload(PendingEnrollment(hostID: hostID, siteID: siteID)).response(from: request, context: context)
                    response.status = .accepted
                    return response
                }
            } catch LifecycleError.invalidEnrollmentToken {
                throw APIError(
                    .unauthorized, code: "enrollment.invalid_token", message: LifecycleError.invalidEnrollmentToken.description, field: "token")
            } catch let error as LifecycleError {
                throw APIError(lifecycle: error)
            } catch {
                throw APIError(error)
            }
        }
        group.get("desired") { request, _ in
            guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
                throw APIError(
                    .unauthorized, code: "auth.required", message: "send 'Authorization: Bearer <host credential>'", field: "Authorization")
            }
            let parameters = request.uri.queryParameters
            var after: Int64?
            if let text = parameters.get("after") {
                guard let value = Int64(text), value >= 0 else {
                    throw APIError(.badRequest, code: "parameter.invalid", message: "after must be a revision (0 or more)", field: "after")
                }
                after = value
            }
            var wait = 0
            if let text = parameters.get("wait") {
                guard let value = Int(text), (0...Self.maximumWaitSeconds).contains(value) else {
                    throw APIError(
                        .badRequest, code: "parameter.invalid", message: "wait must be 0…\(Self.maximumWaitSeconds) seconds", field: "wait")
                }
                wait = value
            }
            do {
                var state = try await lifecycle.desiredState(
                    credential: String(header.dropFirst(7)), after: after, wait: .seconds(wait), clock: clock)
                if let host = try await lifecycle.store.host(id: state.hostID), let site = try await lifecycle.store.site(id: host.siteID) {
                    state.secrets = try await secrets.bundle(site: site, containers: state.containers, specs: state.specs)
                    var limits: [String: ResourceRequest] = [:]
                    for tenant in Set(state.containers.map(\.tenantID)) {
                        let quota = try await lifecycle.store.quota(tenantID: tenant, siteID: site.id)
                        limits[tenant] = ResourceRequest(cpu: quota?.cpu ?? 0, memoryBytes: quota?.memoryBytes ?? 0)
                    }
                    state.tenantLimits = limits.isEmpty ? nil : limits
                    let peers = try await peers(of: host.id, at: site)
                    state.peers = peers.isEmpty ? nil : peers
                    state.keyShare = try await secrets.keyShare(host: host, site: site)
                }
                return Payload(state)
            } catch let error as LifecycleError {
                throw APIError(lifecycle: error)
            } catch let error as APIError {
                throw error
            } catch {
                throw APIError(error)
            }
        }
        group.post("unseal") { request, _ in
            guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
                throw APIError(
                    .unauthorized, code: "auth.required", message: "send 'Authorization: Bearer <host credential>'", field: "Authorization")
            }
            do {
                let host = try await lifecycle.authenticatedHost(credential: String(header.dropFirst(7)))
                return Payload(try await secrets.unseal(host: host))
            } catch LifecycleError.invalidCredential {
                throw APIError(.unauthorized, code: "auth.invalid", message: LifecycleError.invalidCredential.description, field: "Authorization")
            } catch let error as LifecycleError {
                throw APIError(lifecycle: error)
            } catch {
                throw APIError(error)
            }
        }
        group.post("heartbeat") { request, context in
            guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
                throw APIError(
                    .unauthorized, code: "auth.required", message: "send 'Authorization: Bearer <host credential>'", field: "Authorization")
            }
            let body = try await StrictJSON.read(request, context: context, HeartbeatBody.read)
            do {
                return HeartbeatReplyBody(
                    try await lifecycle.heartbeat(credential: String(header.dropFirst(7)), facts: body.facts, batches: body.batches))
            } catch LifecycleError.invalidCredential {
                throw APIError(.unauthorized, code: "auth.invalid", message: LifecycleError.invalidCredential.description, field: "Authorization")
            } catch LifecycleError.invalidParameter(let name, let reason) {
                throw APIError(.badRequest, code: "parameter.invalid", message: "\(name) \(reason)", field: name)
            } catch let error as LifecycleError {
                throw APIError(lifecycle: error)
            } catch {
                throw APIError(error)
            }
        }
    }

    func addOperatorRoutes(to group: RouterGroup<TowerRequestContext>) {
        for (verb, decide) in [("approve", lifecycle.approve), ("reject", lifecycle.reject)]
            as [(String, @Sendable (String, String) async throws -> EdgeHost)]
        {
            group.post("hosts/{id}/\(verb)") { request, context in
                let body: DecisionRequest = try await StrictJSON.decode(request, context: context, allowed: ["": ["actor"]], emptyAllowed: true)
                do {
                    return Payload(try await decide(try context.parameters.require("id"), context.actor(claimed: body.actor)))
                } catch let error as LifecycleError {
                    throw APIError(lifecycle: error)
                }
            }
        }
        group.post("preregistrations") { request, context in
            let body: PreRegistrationRequest = try await StrictJSON.decode(
                request, context: context, allowed: ["": ["serialNumber", "site", "actor"]])
            do {
                return Payload(
                    try await lifecycle.preRegister(serialNumber: body.serialNumber, siteID: body.site, actor: context.actor(claimed: body.actor)))
            } catch let error as LifecycleError {
                throw APIError(lifecycle: error)
            }
        }
        group.post("enroll-tokens") { request, context in
            let body: TokenRequest = try await StrictJSON.decode(request, context: context, allowed: ["": ["site", "ttlSeconds"]])
            let ttl = body.ttlSeconds ?? 86_400
            guard ttl > 0 else { throw APIError(.badRequest, code: "parameter.invalid", message: "ttlSeconds must be positive", field: "ttlSeconds") }
            do {
                let (token, expires) = try await lifecycle.createEnrollmentToken(siteID: body.site, ttl: .seconds(ttl))
                return Payload(EnrollmentTokenReply(token: token, site: body.site, expiresAt: expires))
            } catch LifecycleError.unknownSite(let site) {
                throw APIError(.notFound, code: "site.not_found", message: "no site '\(site)'", field: "site")
            } catch {
                throw APIError(error)
            }
        }
    }
}
