/// A strict JSON parser for safetensors headers (RFC 8259), with a nesting
/// limit.
///
/// The reference `safetensors` library parses headers with serde_json, which
/// refuses containers nested 128 or more levels deep; this parser refuses the
/// same, which also bounds its own recursion. Foundation's parser would not
/// report repeated keys or keep member order, and accepts some non-JSON.
struct HeaderJSONParser {
    struct Problem: Error { let message: String }

    /// Deepest container nesting accepted (serde_json's default limit).
    static let maximumDepth = 127

    private let bytes: [UInt8]
    private var position = 0
    private var depth = 0

    /// Parses `bytes` (which must be UTF-8) as exactly one JSON value plus whitespace.
    static func parse(_ bytes: [UInt8]) throws -> HeaderJSON {
        guard String(validating: bytes, as: UTF8.self) != nil else { throw Problem(message: "header is not valid UTF-8") }
        var parser = HeaderJSONParser(bytes: bytes)
        let value = try parser.value()
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw parser.problem("unexpected characters after the JSON value") }
        return value
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func value() throws -> HeaderJSON {
        skipWhitespace()
        guard let byte = peek() else { throw problem("header ends where a value should start") }
        switch byte {
        case UInt8(ascii: "{"): return try container { try $0.objectBody() }
        case UInt8(ascii: "["): return try container { try $0.arrayBody() }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw problem("unexpected character")
        }
    }

    private mutating func container(_ body: (inout HeaderJSONParser) throws -> HeaderJSON) throws -> HeaderJSON {
        depth += 1
        guard depth <= Self.maximumDepth else { throw problem("values nested more than \(Self.maximumDepth) levels deep") }
        defer { depth -= 1 }
        position += 1  // the opening bracket
        return try body(&self)
    }

    private mutating func objectBody() throws -> HeaderJSON {
        var pairs: [(key: String, value: HeaderJSON)] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { position += 1; return .object(pairs) }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw problem("object key is not a string") }
            let key = try string()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw problem("expected ':' after an object key") }
            position += 1
            pairs.append((key, try value()))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"): position += 1; return .object(pairs)
            default: throw problem("expected ',' or '}' in an object")
            }
        }
    }

    private mutating func arrayBody() throws -> HeaderJSON {
        var items: [HeaderJSON] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { position += 1; return .array(items) }
        while true {
            items.append(try value())
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"): position += 1; return .array(items)
            default: throw problem("expected ',' or ']' in an array")
            }
        }
    }

    private mutating func string() throws -> String {
        position += 1  // opening quote
        var scalars = String.UnicodeScalarView()
        var run = position  // start of the current unescaped run
        func flush(_ end: Int) { scalars.append(contentsOf: String(decoding: bytes[run..<end], as: UTF8.self).unicodeScalars) }
        while true {
            guard let byte = peek() else { throw problem("unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                flush(position)
                position += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                flush(position)
                position += 1
                scalars.append(try escape())
                run = position
            case 0..<0x20:
                throw problem("control character inside a string")
            default:
                position += 1
            }
        }
    }

    private mutating func escape() throws -> Unicode.Scalar {
        guard let byte = peek() else { throw problem("unterminated escape") }
        position += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let first = try hex4()
            if (0xD800..<0xDC00).contains(first) {
                // A high surrogate must be followed by an escaped low one.
                guard peek() == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u") else {
                    throw problem("lone surrogate in a \\u escape")
                }
                position += 2
                let second = try hex4()
                guard (0xDC00..<0xE000).contains(second), let scalar = Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)) else {
                    throw problem("lone surrogate in a \\u escape")
                }
                return scalar
            }
            guard let scalar = Unicode.Scalar(first) else { throw problem("lone surrogate in a \\u escape") }
            return scalar
        default: throw problem("invalid escape in a string")
        }
    }

    private mutating func hex4() throws -> UInt32 {
        guard position + 4 <= bytes.count else { throw problem("short \\u escape") }
        var value: UInt32 = 0
        for byte in bytes[position..<position + 4] {
            guard let digit = hexDigit(byte) else { throw problem("bad hex digit in a \\u escape") }
            value = value << 4 | digit
        }
        position += 4
        return value
    }

    private func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, returned as text.
    private mutating func number() throws -> String {
        let start = position
        if peek() == UInt8(ascii: "-") { position += 1 }
        if peek() == UInt8(ascii: "0") {
            position += 1
        } else {
            guard digits() > 0 else { throw problem("invalid number") }
        }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { throw problem("invalid number") }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { throw problem("invalid number") }
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func digits() -> Int {
        let start = position
        while let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { position += 1 }
        return position - start
    }

    private mutating func literal(_ word: String) throws {
        let expected = Array(word.utf8)
        guard position + expected.count <= bytes.count, Array(bytes[position..<position + expected.count]) == expected else {
            throw problem("invalid literal")
        }
        position += expected.count
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
    }

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private func problem(_ what: String) -> Problem { Problem(message: "\(what) at byte \(position) of the header") }
}
