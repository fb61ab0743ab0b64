import Foundation
import ONNXFormat
import Tensor

/// One node being executed: typed access to its attributes and inputs, with errors that name
/// the file, node and operator.
struct ONNXNodeContext {
    let url: URL
    let node: ONNXModelFile.Node
    let opset: Int64
    let inputs: [ONNXValue?]
    /// The most values one computed output may hold (`ONNXGraph.maxOutputValues`).
    var maxValues = ONNXModelFile.maxElements

    var name: String { node.name.isEmpty ? (node.outputs.first ?? "?") : node.name }

    func invalid(_ reason: String) -> ONNXError { .invalidNode(url, node: name, op: node.opType, reason: reason) }

    /// `shape` when it has no negative extent and at most `maxValues` values (by default the
    /// bound of the file's own tensors, `ONNXModelFile.maxElements`), else an error: an output shape computed from the file's
    /// numbers (pads, scales, sizes, broadcasting, windows) must not be able to ask for unbounded
    /// memory. Every extent is checked before the product, which is taken without overflow.
    @discardableResult
    func bounded(_ shape: [Int], _ what: String = "output") throws -> [Int] {
        var product = 1
        for d in shape {
            guard d >= 0, d <= ONNXModelFile.maxElements else { throw invalid("\(what) shape \(shape) has an extent out of range") }
            let (p, overflow) = product.multipliedReportingOverflow(by: d)
            guard !overflow, p <= maxValues else {
                throw invalid("\(what) shape \(shape) holds more than \(maxValues) values")
            }
            product = p
        }
        return shape
    }

    /// An attribute or input number a shape is computed from, within +-`ONNXModelFile.maxElements`
    /// so that the arithmetic on it cannot overflow.
    @discardableResult
    func extent(_ v: Int, _ what: String) throws -> Int {
        // Not `abs(v)`: it traps on Int.min, which an int64 attribute can hold.
        guard v >= -ONNXModelFile.maxElements, v <= ONNXModelFile.maxElements else { throw invalid("\(what) \(v) is out of range") }
        return v
    }
    func unsupported(_ attribute: String, _ detail: String) -> ONNXError {
        .unsupportedAttribute(url, node: name, op: node.opType, attribute: attribute, detail: detail)
    }

    // MARK: attributes

    func int(_ key: String, _ fallback: Int) -> Int { node.attributes[key].map { Int($0.i) } ?? fallback }
    func ints(_ key: String) -> [Int]? { node.attributes[key].map { $0.ints.map { Int($0) } } }
    func float(_ key: String, _ fallback: Float) -> Float { node.attributes[key]?.f ?? fallback }
    func string(_ key: String, _ fallback: String) -> String {
        node.attributes[key].map { String(decoding: $0.s, as: UTF8.self) } ?? fallback
    }

    /// A string attribute that must be one of `allowed`.
    func choice(_ key: String, _ fallback: String, _ allowed: [String]) throws -> String {
        let v = string(key, fallback)
        guard allowed.contains(v) else { throw unsupported(key, "'\(v)' (supported: \(allowed.joined(separator: ", ")))") }
        return v
    }

    /// An integer attribute that must equal `expected` (features the importer does not implement).
    func require(_ key: String, is expected: Int, default fallback: Int) throws {
        let v = int(key, fallback)
        guard v == expected else { throw unsupported(key, "= \(v) (only \(expected))") }
    }

    // MARK: inputs

    func hasInput(_ i: Int) -> Bool { i < inputs.count && inputs[i] != nil }

    func value(_ i: Int) throws -> ONNXValue {
        guard i < inputs.count, let v = inputs[i] else { throw invalid("input \(i) is missing") }
        return v
    }

    func tensor(_ i: Int) throws -> Tensor { try value(i).asFloat }

    /// An integer input (shapes, axes, pads): must be computable without the image, i.e. an
    /// initializer, a Constant or shape arithmetic.
    func integers(_ i: Int) throws -> [Int64] {
        switch try value(i) {
        case let .integer(_, values): return values
        case .float: throw invalid("input \(i) ('\(node.inputs[i])') must be an integer tensor")
        }
    }

    func optionalIntegers(_ i: Int) throws -> [Int64]? { hasInput(i) ? try integers(i) : nil }

    /// A float input that must be given by the file (weights), as values.
    func constantFloats(_ i: Int) throws -> [Float] { try tensor(i).values }

    /// `axis` normalised against `rank` (negative axes count from the end).
    func axis(_ a: Int, rank: Int) throws -> Int {
        let k = a < 0 ? a + rank : a
        guard k >= 0, k < rank else { throw invalid("axis \(a) is out of range for rank \(rank)") }
        return k
    }
}
