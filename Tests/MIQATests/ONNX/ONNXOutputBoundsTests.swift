import XCTest
import ONNXFormat
import Tensor
@testable import MIQA

/// Output shapes an ONNX file's numbers ask for (pads, scales, sizes, windows, target shapes)
/// are bounded like its own tensors (`ONNXModelFile.maxElements`): an absurd request is an error
/// naming the node, never a crash or an allocation of terabytes (FuzzONNX's first finding was a
/// Pad of 2^61 values; tools/fuzz/findings/FuzzONNX-pad-huge-output.onnx).
final class ONNXOutputBoundsTests: XCTestCase {
    private let url = URL(fileURLWithPath: "/tmp/bounds.onnx")

    /// One node `op` named "n0" on input x [1, 1, 4, 4] and the given initializers (1-D int64, or
    /// float of the given dims).
    private func run(_ op: String, inputs: [String], ints: [String: [Int64]] = [:], floats: [String: (dims: [Int64], values: [Float])] = [:],
                     attributes: [String: [Int64]] = [:], limit: Int? = nil) throws {
        var node = Onnx_NodeProto()
        node.opType = op
        node.name = "n0"
        node.input = ["x"] + inputs
        node.output = ["y"]
        node.attribute = attributes.map { key, values in
            var a = Onnx_AttributeProto()
            a.name = key
            // Scalar attributes (`group`, `axis`) are `i`; the rest lists.
            if key == "group" || key == "axis" {
                a.i = values[0]
                a.type = .int
            } else {
                a.ints = values
                a.type = .ints
            }
            return a
        }
        var initializers: [Onnx_TensorProto] = []
        for (name, values) in ints {
            var t = Onnx_TensorProto()
            t.name = name
            t.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
            t.dims = [Int64(values.count)]
            t.int64Data = values
            initializers.append(t)
        }
        for (name, (dims, values)) in floats {
            var t = Onnx_TensorProto()
            t.name = name
            t.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
            t.dims = dims
            t.floatData = values
            initializers.append(t)
        }
        let data = try ONNXTestModel.data(node: node, initializers: initializers, inputDims: [1, 1, 4, 4])
        let graph = try ONNXGraph(file: ONNXModelFile(data: data, url: url))
        if let limit { graph.maxOutputValues = limit }
        _ = try graph.run(["x": Tensor(shape: [1, 1, 4, 4], values: (0..<16).map(Float.init))])
    }

    private func assertRefused(_ what: String, _ body: () throws -> Void) {
        XCTAssertThrowsError(try body(), what) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("n0") && text.contains("bounds.onnx") && (text.contains("out of range") || text.contains("more than")),
                          "\(what): \(text)")
        }
    }

    func testAbsurdOutputShapesAreErrorsNamingTheNode() throws {
        assertRefused("Pad by 2^40") { try self.run("Pad", inputs: ["pads"], ints: ["pads": [0, 0, 1 << 40, 0, 0, 0, 0, 0]]) }
        assertRefused("Pad to 2^30 values") { try self.run("Pad", inputs: ["pads"], ints: ["pads": [0, 0, 1 << 14, 1 << 14, 0, 0, 0, 0]]) }
        assertRefused("Resize by 1e12") { try self.run("Resize", inputs: ["", "scales"], floats: ["scales": ([4], [1, 1, 1e12, 1e12])]) }
        assertRefused("Conv with pads 2^40") {
            try self.run("Conv", inputs: ["w"], floats: ["w": ([1, 1, 1, 1], [1])], attributes: ["kernel_shape": [1, 1], "pads": [1 << 40, 0, 0, 0]])
        }
        assertRefused("Reshape to 2^40 x ?") { try self.run("Reshape", inputs: ["shape"], ints: ["shape": [1 << 40, -1]]) }
        // A caller's lower bound (the fuzzer's) holds too: padding 4x4 to 6x6 is 36 values.
        assertRefused("Pad past a limit of 30") { try self.run("Pad", inputs: ["pads"], ints: ["pads": [0, 0, 1, 1, 0, 0, 1, 1]], limit: 30) }
        XCTAssertNoThrow(try run("Pad", inputs: ["pads"], ints: ["pads": [0, 0, 1, 1, 0, 0, 1, 1]], limit: 36))
        // Ordinary requests still run.
        XCTAssertNoThrow(try run("Pad", inputs: ["pads"], ints: ["pads": [0, 0, 1, 1, 0, 0, 1, 1]]))
        XCTAssertNoThrow(try run("Resize", inputs: ["", "scales"], floats: ["scales": ([4], [1, 1, 2, 2])]))
    }

    /// Extreme int64 values (Int64.min and near-max) in attributes and integer inputs are
    /// errors or defined results, never a trap: `abs(Int64.min)`, `Int64.min / -1`, a group
    /// count that overflows a product, split sizes that overflow their sum, and a slice step
    /// of Int64.max all trapped once (FuzzONNX's 60 s CI campaign found the first).
    func testExtremeIntegersAreNotTraps() throws {
        let min = Int64.min, max = Int64.max
        XCTAssertThrowsError(try run("Conv", inputs: ["w"], floats: ["w": ([1, 1, 1, 1], [1])],
                                     attributes: ["kernel_shape": [1, 1], "strides": [min, 1]]))
        XCTAssertThrowsError(try run("Pad", inputs: ["pads"], ints: ["pads": [0, 0, min, 0, 0, 0, 0, 0]]))
        XCTAssertThrowsError(try run("Conv", inputs: ["w"], floats: ["w": ([1, 1, 1, 1], [1])],
                                     attributes: ["kernel_shape": [1, 1], "group": [1 << 62]]))
        XCTAssertThrowsError(try run("MaxPool", inputs: [], attributes: ["kernel_shape": [1, 1], "pads": [1 << 27, 1 << 27, 1 << 27, 1 << 27]]))
        XCTAssertThrowsError(try run("Split", inputs: ["split"], ints: ["split": [max, max, 2]], attributes: ["axis": [2]]))
        XCTAssertNoThrow(try run("Slice", inputs: ["starts", "ends", "axes", "steps"],
                                 ints: ["starts": [1], "ends": [max], "axes": [2], "steps": [max]]))
        XCTAssertNoThrow(try run("Slice", inputs: ["starts", "ends", "axes", "steps"],
                                 ints: ["starts": [-1], "ends": [min], "axes": [3], "steps": [min]]))
    }
}
