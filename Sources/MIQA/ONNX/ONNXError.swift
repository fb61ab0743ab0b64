import Foundation

/// Why an ONNX graph cannot run: every case names the file, and the node and operator where
/// one is at fault, so that a user knows what to change in the export.
public enum ONNXError: Error, CustomStringConvertible, Sendable {
    /// The operator (or its domain) is not in the importer's set.
    case unsupportedOperator(URL, node: String, op: String)
    /// An attribute, or an attribute value, the importer does not implement.
    case unsupportedAttribute(URL, node: String, op: String, attribute: String, detail: String)
    /// Inputs the operator cannot take (shape, type, a weight that is not a constant).
    case invalidNode(URL, node: String, op: String, reason: String)
    /// A value the graph reads that nothing produces, or a graph input the caller did not give.
    case missingValue(URL, name: String, reason: String)

    public var description: String {
        switch self {
        case let .unsupportedOperator(url, node, op):
            return "\(url.path): node '\(node)': operator \(op) is not supported by miqa's ONNX importer (docs/onnx.md lists the supported set)"
        case let .unsupportedAttribute(url, node, op, attribute, detail):
            return "\(url.path): node '\(node)' (\(op)): attribute \(attribute) \(detail) is not supported"
        case let .invalidNode(url, node, op, reason):
            return "\(url.path): node '\(node)' (\(op)): \(reason)"
        case let .missingValue(url, name, reason):
            return "\(url.path): value '\(name)': \(reason)"
        }
    }
}
