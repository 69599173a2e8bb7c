import Hummingbird
import MarqueeCore

/// An error response: a status and the JSON body `{"error": {"code", "message", "field"}}`.
public struct APIError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var body: APIErrorBody
    /// Seconds for a `Retry-After` header (503 when the tower sheds load).
    public var retryAfterSeconds: Int?

    public init(_ status: HTTPResponse.Status, code: String, message: String, field: String? = nil, problems: [SpecDiagnostic]? = nil) {
        self.status = status
        self.body = APIErrorBody(code: code, message: message, field: field, problems: problems)
    }

    /// Maps an error from Core to the response an API client should see; nothing becomes an empty 500.
    public init(_ error: any Error, parameter: String? = nil) {
        switch error {
        case let error as APIError:
            self = error
        case let error as SelectorError:
            self.init(.badRequest, code: "selector.invalid", message: error.description, field: parameter ?? "select")
        case let error as FleetAPIError:
            switch error {
            case .notFound(let kind, _):
                self.init(.notFound, code: "\(kind).not_found", message: error.description)
            case .invalidParameter(let name, _):
                self.init(.badRequest, code: "parameter.invalid", message: error.description, field: name)
            }
        case let error as SpecError:
            self.init(
                .unprocessableContent, code: "spec.invalid", message: error.description,
                field: error.diagnostics.first.map { $0.path.isEmpty ? "files" : $0.path }, problems: error.diagnostics)
        case let error as DeploymentError:
            self.init(.notFound, code: "rollout.not_found", message: error.description, field: "id")
        case let error as UpgradeError:
            switch error {
            case .unknown: self.init(.notFound, code: "upgrade.not_found", message: error.description, field: "name")
            case .alreadyRunning, .cannot: self.init(.conflict, code: "upgrade.state_conflict", message: error.description)
            case .noSites: self.init(.unprocessableContent, code: "upgrade.no_sites", message: error.description, field: "select")
            }
        case let error as RolloutCommandError:
            self.init(.conflict, code: "rollout.state_conflict", message: error.description)
        case let error as ProbeQueryError:
            switch error {
            case .invalid(let field, _): self.init(.badRequest, code: "parameter.invalid", message: error.description, field: field)
            }
        case let error as LogQueryError:
            switch error {
            case .invalid(let field, _): self.init(.badRequest, code: "parameter.invalid", message: error.description, field: field)
            case .unknownContainer: self.init(.notFound, code: "container.not_found", message: error.description, field: "container")
            case .unknownSubject: self.init(.notFound, code: "subject.not_found", message: error.description, field: "subject")
            }
        case let error as VaultError:
            switch error {
            case .invalidPath: self.init(.badRequest, code: "parameter.invalid", message: error.description, field: "path")
            case .invalidValue: self.init(.badRequest, code: "parameter.invalid", message: error.description, field: "value")
            case .notFound: self.init(.notFound, code: "secret.not_found", message: error.description, field: "path")
            case .otherTenantsVault: self.init(.forbidden, code: "auth.forbidden", message: error.description, field: "path")
            case .sealed, .noMasterKey, .badMasterKey, .masterKeyUnwritable, .wrongMasterKey, .cannotDecrypt:
                self.init(.serviceUnavailable, code: "vault.sealed", message: error.description)
            }
        case let error as SecurityError:
            switch error {
            case .unknownTenant: self.init(.notFound, code: "tenant.not_found", message: error.description, field: "tenant")
            case .unknownToken: self.init(.notFound, code: "token.not_found", message: error.description, field: "id")
            case .tenantExists: self.init(.conflict, code: "tenant.exists", message: error.description, field: "id")
            case .invalidTenantID: self.init(.badRequest, code: "parameter.invalid", message: error.description, field: "id")
            case .roleNotAllowed: self.init(.badRequest, code: "parameter.invalid", message: error.description, field: "role")
            case .invalidParameter(let name, _): self.init(.badRequest, code: "parameter.invalid", message: error.description, field: name)
            case .forbidden, .otherTenant: self.init(.forbidden, code: "auth.forbidden", message: error.description, field: "Authorization")
            case .unknownSite: self.init(.notFound, code: "site.not_found", message: error.description, field: "id")
            case .unknownHost: self.init(.notFound, code: "host.not_found", message: error.description, field: "id")
            case .alreadyLockedDown, .notLockedDown: self.init(.conflict, code: "site.lockdown_conflict", message: error.description, field: "id")
            }
        case let error as StoreError:
            self.init(.serviceUnavailable, code: "store.unavailable", message: error.description)
        default:
            self.init(.internalServerError, code: "internal", message: "internal error: \(error)")
        }
    }

    /// Maps a call-home or approval error to its status, code and field.
    init(lifecycle error: LifecycleError) {
        switch error {
        case .invalidEnrollmentToken: self.init(.unauthorized, code: "enrollment.invalid_token", message: error.description, field: "token")
        case .invalidCredential: self.init(.unauthorized, code: "auth.invalid", message: error.description, field: "Authorization")
        case .unknownSite: self.init(.notFound, code: "site.not_found", message: error.description, field: "site")
        case .unknownHost: self.init(.notFound, code: "host.not_found", message: error.description)
        case .invalidParameter(let name, _): self.init(.badRequest, code: "parameter.invalid", message: error.description, field: name)
        case .enrollmentRejected: self.init(.forbidden, code: "enrollment.rejected", message: error.description)
        case .serialAlreadyEnrolled: self.init(.conflict, code: "enrollment.serial_enrolled", message: error.description, field: "facts.serialNumber")
        case .notPending: self.init(.conflict, code: "host.not_pending", message: error.description)
        case .siteLockedDown: self.init(.forbidden, code: "site.locked_down", message: error.description, field: "site")
        case .busy(let seconds):
            self.init(.serviceUnavailable, code: "tower.busy", message: error.description)
            retryAfterSeconds = seconds
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try context.responseEncoder.encode(body, from: request, context: context)
        response.status = status
        if let retryAfterSeconds { response.headers[.retryAfter] = String(retryAfterSeconds) }
        return response
    }
}

extension APIErrorBody: ResponseEncodable {}

/// Runs a route handler and turns any error into a JSON ``APIError`` with its status and field.
func handle<Output: ResponseGenerator>(_ body: () async throws -> Output) async throws -> Output {
    do {
        return try await body()
    } catch {
        throw APIError(error)
    }
}
