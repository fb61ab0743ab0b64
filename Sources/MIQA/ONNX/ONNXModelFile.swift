import Foundation
import Checkpoints
import ONNXFormat
import SwiftProtobuf

/// An `.onnx` file read and checked: its graph's nodes in order, the weights (initializers) as
/// host tensors, and the graph's inputs and outputs. The first layer of the ONNX importer
/// (bring-your-own machine): everything a hostile or broken file can do wrong is an error naming
/// the file and what is wrong, before anything large is allocated.
///
/// Checked here: the protobuf structure (SwiftProtobuf's decoder, nesting depth limited), a
/// graph being present, every initializer's element type (float32, and int64/int32 for shape
/// arithmetic), its dimensions (non-negative, element count without overflow and below the
/// limit) against the bytes it holds, and external data (refused: the file must be
/// self-contained).
public struct ONNXModelFile {
    /// One operator application: `op_type` with its named inputs, outputs and attributes.
    public struct Node: Sendable {
        public let name: String
        public let opType: String
        public let domain: String
        public let inputs: [String]
        public let outputs: [String]
        public let attributes: [String: Onnx_AttributeProto]
    }

    /// An initializer: float values for float tensors; integer tensors (shapes, axes) as `Int64`s.
    public enum Value: Sendable {
        case float(StoredTensor)
        case integer(shape: [Int], values: [Int64])
    }

    public let url: URL
    /// The default-domain opset the model was exported for.
    public let opset: Int64
    public let nodes: [Node]
    public let initializers: [String: Value]
    /// The graph inputs that are not initializers, with their declared shapes (nil = symbolic).
    public let inputs: [(name: String, shape: [Int?])]
    public let outputs: [String]

    /// At most this many values in one initializer (2^28 floats = 1 GiB): a file cannot ask for
    /// more memory than that per tensor, whatever its dims say.
    public static let maxElements = 1 << 28

    public init(contentsOf url: URL) throws {
        try self.init(data: ONNXModelFile.bytes(at: url), url: url)
    }

    /// The file's bytes (mapped when safe), or `CheckpointError.unreadable` naming it.
    public static func bytes(at url: URL) throws -> Data {
        do { return try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw CheckpointError.unreadable(url, error.localizedDescription)
        }
    }

    public init(data: Data, url: URL) throws {
        guard !data.isEmpty else { throw CheckpointError.emptyFile(url) }
        var options = BinaryDecodingOptions()
        options.messageDepthLimit = 64
        let model: Onnx_ModelProto
        do { model = try Onnx_ModelProto(serializedBytes: data, options: options) } catch {
            throw CheckpointError.malformedONNX(url, "the protobuf structure does not decode (\(error))")
        }
        guard model.hasGraph, !model.graph.node.isEmpty else {
            throw CheckpointError.malformedONNX(url, "it has no graph nodes")
        }
        self.url = url
        opset = model.opsetImport.first { $0.domain.isEmpty || $0.domain == "ai.onnx" }?.version ?? 0
        let graph = model.graph
        var initializers: [String: Value] = [:]
        for t in graph.initializer {
            initializers[t.name] = try Self.value(t, url: url)
        }
        self.initializers = initializers
        nodes = graph.node.map { n in
            Node(name: n.name, opType: n.opType, domain: n.domain, inputs: n.input, outputs: n.output,
                 attributes: Dictionary(n.attribute.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }))
        }
        inputs = graph.input.filter { initializers[$0.name] == nil }.map { v in
            (v.name, v.type.tensorType.shape.dim.map { $0.dimValue > 0 ? Int($0.dimValue) : nil })
        }
        outputs = graph.output.map(\.name)
    }

    /// One initializer, checked.
    static func value(_ t: Onnx_TensorProto, url: URL) throws -> Value {
        let what = "initializer '\(t.name)'"
        guard t.dataLocation != .external, t.externalData.isEmpty else {
            throw CheckpointError.badTensor(url, t.name, "\(what) keeps its data in an external file; export the model with the weights inside")
        }
        var count = 1
        var shape: [Int] = []
        for d in t.dims {
            guard d >= 0, d <= Int64(maxElements) else { throw CheckpointError.badTensor(url, t.name, "\(what) has dimension \(d)") }
            let (product, overflow) = count.multipliedReportingOverflow(by: Int(d))
            guard !overflow, product <= maxElements else {
                throw CheckpointError.limitExceeded(url, "\(what) declares \(t.dims) (more than \(maxElements) values)")
            }
            count = product
            shape.append(Int(d))
        }
        func check(_ have: Int, _ width: Int) throws {
            guard have == count else {
                throw CheckpointError.badTensor(url, t.name, "\(what) declares \(t.dims) (\(count) values) but holds \(have) (\(width)-byte elements)")
            }
        }
        /// `raw_data` as `count` little-endian values of `T` (ONNX stores raw tensors little-endian
        /// whatever the host), or nil when the tensor uses the typed fields instead.
        func raw<T: FixedWidthInteger>(_: T.Type, _ typeName: String) throws -> [T]? {
            guard !t.rawData.isEmpty else { return nil }
            let width = MemoryLayout<T>.size
            guard t.rawData.count % width == 0 else {
                throw CheckpointError.badTensor(url, t.name, "\(what): \(t.rawData.count) raw bytes is not whole \(typeName) values")
            }
            try check(t.rawData.count / width, width)
            var values = [T](repeating: 0, count: count)
            _ = values.withUnsafeMutableBytes { t.rawData.copyBytes(to: $0) }
            return values.map { T(littleEndian: $0) }
        }
        switch Onnx_TensorProto.DataType(rawValue: Int(t.dataType)) {
        case .float?:
            if let bits = try raw(UInt32.self, "float32") {
                return .float(StoredTensor(shape: shape, values: bits.map(Float.init(bitPattern:))))
            }
            try check(t.floatData.count, 4)
            return .float(StoredTensor(shape: shape, values: t.floatData))
        case .int64?:
            if let values = try raw(Int64.self, "int64") { return .integer(shape: shape, values: values) }
            try check(t.int64Data.count, 8)
            return .integer(shape: shape, values: t.int64Data)
        case .int32?:
            if let values = try raw(Int32.self, "int32") { return .integer(shape: shape, values: values.map(Int64.init)) }
            try check(t.int32Data.count, 4)
            return .integer(shape: shape, values: t.int32Data.map(Int64.init))
        default:
            throw CheckpointError.unsupportedDType(url, "\(what) has ONNX data type \(t.dataType) (supported: float, int64, int32)")
        }
    }
}
