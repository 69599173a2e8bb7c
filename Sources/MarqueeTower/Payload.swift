import Hummingbird

/// Any encodable value as a JSON response body.
struct Payload<Value: Encodable & Sendable>: ResponseEncodable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }

    func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
    }
}

/// A list as `{"kind": "SiteList", "count": N, "items": [...]}`, the same shape the CLI prints.
struct ListPayload<Item: Encodable & Sendable>: ResponseEncodable {
    let kind: String
    let count: Int
    let items: [Item]

    init(kind: String, items: [Item]) {
        self.kind = kind
        self.count = items.count
        self.items = items
    }
}
