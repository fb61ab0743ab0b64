/// A JSON value as written in a safetensors header, kept closer to the text
/// than Foundation's parser keeps it: object members in order and with any
/// repeated keys, numbers as their literal text (so `2`, `2.0` and `true`
/// stay distinguishable as dimensions).
enum HeaderJSON {
    case object([(key: String, value: HeaderJSON)])
    case array([HeaderJSON])
    case string(String)
    /// The literal, already checked against the JSON number grammar.
    case number(String)
    case bool(Bool)
    case null

    /// The value as a non-negative integer, when it is written as one
    /// (no fraction, exponent or sign) and fits in `Int`.
    var nonNegativeInteger: Int? {
        guard case let .number(text) = self, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int(text)
    }

    /// The value's members when it is an object, last value winning for a
    /// repeated key (as the reference library's map does).
    var members: [String: HeaderJSON]? {
        guard case let .object(pairs) = self else { return nil }
        var result: [String: HeaderJSON] = [:]
        for (key, value) in pairs { result[key] = value }
        return result
    }

    /// A word for the kind of value, for messages.
    var kind: String {
        switch self {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case let .number(text): return nonNegativeInteger != nil ? "the integer \(text)" : "the number \(text)"
        case let .bool(flag): return flag ? "true" : "false"
        case .null: return "null"
        }
    }
}
