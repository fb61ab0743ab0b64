import XCTest
import Checkpoints
import Tensor
@testable import MIQA

/// The ONNX executor against ONNX Runtime: every graph in Fixtures/onnx (made by
/// tools/onnx/make_fixtures.py: torch-exported ResNet-18 and MobileNetV2 topologies and one
/// graph per operator family with non-trivial attributes) is run on the inputs ONNX Runtime was
/// given, and every output must match ONNX Runtime's within 1e-4.
final class ONNXGraphParityTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/onnx")

    struct Entry: Decodable {
        struct Port: Decodable { let name: String; let shape: [Int] }
        let name: String, file: String, io: String?, opset: Int
        let inputs: [Port], outputs: [Port]
        let op_types: [String]
    }

    static func manifest() throws -> [Entry] {
        try JSONDecoder().decode([Entry].self, from: Data(contentsOf: folder.appendingPathComponent("manifest.json")))
    }

    /// Max |ours - ORT| per output of one graph.
    func check(_ entry: Entry, file: StaticString = #filePath, line: UInt = #line) throws {
        let graph = try ONNXGraph(contentsOf: Self.folder.appendingPathComponent(entry.file))
        let io = try SafetensorsReader.read(Self.folder.appendingPathComponent(try XCTUnwrap(entry.io)))
        var inputs: [String: Tensor] = [:]
        for port in entry.inputs {
            let stored = try XCTUnwrap(io["input.\(port.name)"], "\(entry.name): no input \(port.name)")
            inputs[port.name] = Tensor(shape: stored.shape, values: stored.values)
        }
        let outputs = try graph.run(inputs)
        for port in entry.outputs {
            let expected = try XCTUnwrap(io["output.\(port.name)"], "\(entry.name): no output \(port.name)")
            let got = try XCTUnwrap(outputs[port.name], "\(entry.name): output \(port.name) missing")
            XCTAssertEqual(got.shape, expected.shape, "\(entry.name).\(port.name) shape", file: file, line: line)
            guard got.shape == expected.shape else { continue }
            let diff = zip(got.values, expected.values).map { abs($0 - $1) }.max() ?? 0
            if ProcessInfo.processInfo.environment["ONNX_PARITY_VERBOSE"] != nil { print("parity \(entry.name).\(port.name) \(got.shape) max diff \(diff)") }
            XCTAssertLessThanOrEqual(diff, 1e-4, "\(entry.name).\(port.name): max |miqa - onnxruntime| = \(diff)", file: file, line: line)
        }
    }

    func testEveryFixtureGraphMatchesONNXRuntime() throws {
        let entries = try Self.manifest().filter { $0.name != "unsupported_op" }
        XCTAssertGreaterThanOrEqual(entries.count, 17, "the fixture set is complete")
        var covered = Set<String>()
        for entry in entries {
            XCTAssertNoThrow(try check(entry), entry.name)
            covered.formUnion(entry.op_types)
        }
        // Every operator the importer claims is exercised by some fixture.
        XCTAssertEqual(Set(ONNXGraph.supportedOperators).subtracting(covered).subtracting(["Dropout", "Cast"]), [],
                       "supported operators without a parity fixture")
    }

    func testTorchExportedNetworksKeepTheirNames() throws {
        let file = try ONNXModelFile(contentsOf: Self.folder.appendingPathComponent("resnet18_tiny.onnx"))
        XCTAssertNotNil(file.initializers["layer1.0.bn1.running_mean"])
        XCTAssertNotNil(file.initializers["fc.weight"])
    }

    func testUnsupportedOperatorIsAnErrorNamingNodeAndOperator() throws {
        XCTAssertThrowsError(try ONNXGraph(contentsOf: Self.folder.appendingPathComponent("unsupported_op.onnx"))) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("the_unsupported_node") && text.contains("Einsum") && text.contains("unsupported_op.onnx"), text)
        }
    }

    func testMissingAndMisShapedInputsAreErrors() throws {
        let entry = try XCTUnwrap(try Self.manifest().first { $0.name == "resnet18_tiny" })
        let graph = try ONNXGraph(contentsOf: Self.folder.appendingPathComponent(entry.file))
        XCTAssertThrowsError(try graph.run([:])) { XCTAssertTrue("\($0)".contains("was not given"), "\($0)") }
        XCTAssertThrowsError(try graph.run(["input": Tensor(zeros: [2, 3, 64])])) { XCTAssertTrue("\($0)".contains("declares"), "\($0)") }
    }
}
