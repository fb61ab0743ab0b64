import Foundation

/// A Darknet network description (`.cfg`): `[section]` headers, each followed by `key=value`
/// lines. As Darknet reads it: whitespace anywhere in a line is dropped, `#` and `;` start a
/// comment line, and the first section (`[net]` or `[network]`) holds the input size.
public struct DarknetConfig: Sendable, Equatable {
    /// One `[type]` block with its options, and the line it starts on (for errors).
    public struct Section: Sendable, Equatable {
        public let type: String
        public let line: Int
        public var options: [String: String]

        /// An integer option, `fallback` when absent.
        /// - Throws: `DetectorError.badConfig` naming the section when the value is not an integer.
        public func int(_ key: String, _ fallback: Int? = nil) throws -> Int {
            guard let text = options[key] else {
                if let fallback { return fallback }
                throw DetectorError.badConfig("[\(type)] at line \(line) has no '\(key)'")
            }
            guard let value = Int(text) else { throw DetectorError.badConfig("[\(type)] at line \(line): \(key)=\(text) is not an integer") }
            return value
        }

        /// A comma-separated list of integers (`layers = -1, 8`, `mask = 3,4,5`).
        public func ints(_ key: String) throws -> [Int] {
            guard let text = options[key], !text.isEmpty else { throw DetectorError.badConfig("[\(type)] at line \(line) has no '\(key)'") }
            return try text.split(separator: ",").map {
                guard let v = Int($0) else { throw DetectorError.badConfig("[\(type)] at line \(line): \(key)=\(text) is not a list of integers") }
                return v
            }
        }

        /// A comma-separated list of numbers (`anchors = 10,14, 23,27`).
        public func floats(_ key: String) throws -> [Float] {
            guard let text = options[key], !text.isEmpty else { throw DetectorError.badConfig("[\(type)] at line \(line) has no '\(key)'") }
            return try text.split(separator: ",").map {
                guard let v = Float($0) else { throw DetectorError.badConfig("[\(type)] at line \(line): \(key)=\(text) is not a list of numbers") }
                return v
            }
        }

        /// A text option, `fallback` when absent.
        public func string(_ key: String, _ fallback: String) -> String { options[key] ?? fallback }
    }

    /// The `[net]` section (input width, height, channels).
    public let net: Section
    /// The layers, in order: their index is the one `route` and `shortcut` refer to.
    public let layers: [Section]

    /// Parses `.cfg` text.
    /// - Throws: `DetectorError.badConfig` naming the line for an option outside any section, a line
    ///   that is neither, or a file without a leading `[net]`.
    public init(text: String) throws {
        var sections: [Section] = []
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = String(raw.filter { !$0.isWhitespace })
            guard let first = line.first, first != "#", first != ";" else { continue }
            if first == "[" {
                guard line.last == "]", line.count > 2 else { throw DetectorError.badConfig("line \(index + 1): '\(raw)' is not a [section] header") }
                sections.append(Section(type: String(line.dropFirst().dropLast()), line: index + 1, options: [:]))
                continue
            }
            guard let eq = line.firstIndex(of: "="), eq != line.startIndex else {
                throw DetectorError.badConfig("line \(index + 1): '\(raw)' is neither a [section] nor key=value")
            }
            guard !sections.isEmpty else { throw DetectorError.badConfig("line \(index + 1): an option before the first [section]") }
            sections[sections.count - 1].options[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        guard let net = sections.first, net.type == "net" || net.type == "network" else {
            throw DetectorError.badConfig("the first section must be [net], found \(sections.first.map { "[\($0.type)]" } ?? "no sections")")
        }
        self.net = net
        self.layers = Array(sections.dropFirst())
    }
}
