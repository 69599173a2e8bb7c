/// Why a ``FleetAPI`` call was refused.
public enum FleetAPIError: Error, Equatable, CustomStringConvertible, InputError {
    /// No object of this kind with this id.
    case notFound(kind: String, id: String)
    /// A query parameter is malformed.
    case invalidParameter(name: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let kind, let id):
            "no \(kind) '\(id)'; list them with 'marquee \(kind)s'"
        case .invalidParameter(let name, let reason):
            "invalid \(name): \(reason)"
        }
    }
}
