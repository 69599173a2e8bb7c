/// The JSON body of every error the tower returns: `{"error": {"code", "message", "field"}}`.
public struct APIErrorBody: Codable, Sendable, Equatable {
    public struct Detail: Codable, Sendable, Equatable {
        /// Stable machine-readable code, e.g. `selector.invalid`, `site.not_found`, `auth.required`.
        public var code: String
        /// What went wrong and what to do, for people.
        public var message: String
        /// The request parameter or body field at fault, when there is one.
        public var field: String?
        /// Every problem in rejected spec files, with file, line, column and field path.
        public var problems: [SpecDiagnostic]?

        public init(code: String, message: String, field: String? = nil, problems: [SpecDiagnostic]? = nil) {
            self.code = code
            self.message = message
            self.field = field
            self.problems = problems
        }
    }

    public var error: Detail

    public init(code: String, message: String, field: String? = nil, problems: [SpecDiagnostic]? = nil) {
        error = Detail(code: code, message: message, field: field, problems: problems)
    }
}
