import XCTest
import Checkpoints
import ONNXFormat
@testable import MIQA

/// The ONNX reader on files built here with SwiftProtobuf: a well-formed graph reads with its
/// weights; truncated bytes, a missing graph, unsupported or mis-sized tensors, dimensions that
/// would need unbounded memory and external data are errors naming the file and the tensor.
final class ONNXModelFileTests: XCTestCase {
    private let url = URL(fileURLWithPath: "/tmp/test.onnx")

    private func model(_ edit: (inout Onnx_TensorProto) -> Void = { _ in }) throws -> Data {
        var weight = Onnx_TensorProto()
        weight.name = "conv.weight"
        weight.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        weight.dims = [2, 1, 1, 1]
        weight.rawData = Data([Float(1.5), -2].flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) })
        edit(&weight)
        var shape = Onnx_TensorProto()
        shape.name = "shape"
        shape.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
        shape.dims = [2]
        shape.int64Data = [1, -1]
        var node = Onnx_NodeProto()
        node.opType = "Conv"
        node.name = "conv0"
        node.input = ["x", "conv.weight"]
        node.output = ["y"]
        var attribute = Onnx_AttributeProto()
        attribute.name = "kernel_shape"
        attribute.ints = [1, 1]
        attribute.type = .ints
        node.attribute = [attribute]
        return try ONNXTestModel.data(node: node, initializers: [weight, shape], inputDims: [0, 1, 4, 4])
    }

    func testReadsGraphWeightsAndShapes() throws {
        let file = try ONNXModelFile(data: try model(), url: url)
        XCTAssertEqual(file.opset, 13)
        XCTAssertEqual(file.nodes.map(\.opType), ["Conv"])
        XCTAssertEqual(file.nodes[0].attributes["kernel_shape"]?.ints, [1, 1])
        guard case let .float(w)? = file.initializers["conv.weight"] else { return XCTFail("conv.weight") }
        XCTAssertEqual(w.shape, [2, 1, 1, 1])
        XCTAssertEqual(w.values, [1.5, -2])
        guard case let .integer(shape, values)? = file.initializers["shape"] else { return XCTFail("shape") }
        XCTAssertEqual(shape, [2])
        XCTAssertEqual(values, [1, -1])
        XCTAssertEqual(file.inputs.map(\.name), ["x"])
        XCTAssertEqual(file.inputs[0].shape, [nil, 1, 4, 4])
        XCTAssertEqual(file.outputs, ["y"])
    }

    func testBrokenFilesAreNamedErrors() throws {
        func message(_ data: Data) -> String {
            do { _ = try ONNXModelFile(data: data, url: url); return "read" } catch { return "\(error)" }
        }
        let good = try model()
        // Truncated in the middle of the graph.
        XCTAssertTrue(message(good.prefix(good.count / 2)).contains("/tmp/test.onnx: not a usable ONNX model"), message(good.prefix(good.count / 2)))
        XCTAssertTrue(message(Data()).contains("/tmp/test.onnx"))
        let text = message(Data("not protobuf at all, just text".utf8))
        XCTAssertTrue(text.contains("not a usable ONNX model"), text)
        var empty = Onnx_ModelProto()
        empty.irVersion = 8
        XCTAssertTrue(message(try empty.serializedData()).contains("no graph nodes"))
        // Element types and sizes.
        XCTAssertTrue(message(try model { $0.dataType = Int32(Onnx_TensorProto.DataType.float16.rawValue) }).contains("ONNX data type 10"))
        XCTAssertTrue(message(try model { $0.dims = [3, 1, 1, 1] }).contains("declares [3, 1, 1, 1] (3 values) but holds 2"))
        XCTAssertTrue(message(try model { $0.rawData = Data([1, 2, 3]) }).contains("not whole float32 values"))
        XCTAssertTrue(message(try model { $0.dims = [-1, 2] }).contains("dimension -1"))
        // Dimensions whose product needs far more memory than any model: refused before allocating.
        XCTAssertTrue(message(try model { $0.dims = [1 << 20, 1 << 20, 1 << 20] }).contains("more than"))
        XCTAssertTrue(message(try model { $0.dims = [Int64.max / 2, 4] }).contains("dimension"))
        XCTAssertTrue(message(try model { $0.dataLocation = .external }).contains("external file"))
    }
}
