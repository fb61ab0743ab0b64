import XCTest
import Checkpoints
@testable import MIQA

/// `miqa onnx inspect|run` through the binary: a supported model is reported runnable, the
/// unsupported one names its node and exits 1, and `run` writes ONNX Runtime's outputs (the
/// fixture's) within 1e-4.
final class ONNXCommandTests: XCTestCase {
    private let folder = ONNXGraphParityTests.folder

    func testInspectSaysWhatItCanRun() throws {
        let ok = try CommandRunner.run(["onnx", "inspect", folder.appendingPathComponent("mobilenet_v2_tiny.onnx").path])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.contains("supported: miqa can run this model") && ok.stdout.contains("Conv x52"), ok.stdout)
        let bad = try CommandRunner.run(["onnx", "inspect", folder.appendingPathComponent("unsupported_op.onnx").path])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stdout.contains("not supported") && bad.stdout.contains("the_unsupported_node") && bad.stdout.contains("Einsum"), bad.stdout)
    }

    func testRunWritesTheOutputs() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("onnx-run-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: out) }
        let io = folder.appendingPathComponent("op_resize.io.safetensors")
        // The fixture holds inputs under "input.<name>": give them under their graph names.
        let stored = try SafetensorsReader.read(io)
        var inputs = TensorDict()
        for (name, t) in stored.entries where name.hasPrefix("input.") { inputs.set(String(name.dropFirst(6)), t) }
        let inURL = out.deletingPathExtension().appendingPathExtension("in.safetensors")
        defer { try? FileManager.default.removeItem(at: inURL) }
        try SafetensorsWriter.write(inputs, to: inURL)
        let r = try CommandRunner.run(["onnx", "run", folder.appendingPathComponent("op_resize.onnx").path, "--inputs", inURL.path, "--out", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let got = try SafetensorsReader.read(out)
        var compared = 0
        for (name, expected) in stored.entries where name.hasPrefix("output.") {
            let mine = try XCTUnwrap(got[String(name.dropFirst(7))], name)
            XCTAssertEqual(mine.shape, expected.shape)
            XCTAssertLessThanOrEqual(zip(mine.values, expected.values).map { abs($0 - $1) }.max() ?? 1, 1e-4, name)
            compared += 1
        }
        XCTAssertGreaterThanOrEqual(compared, 3)
        // A missing input file is an error naming it.
        let missing = try CommandRunner.run(["onnx", "run", folder.appendingPathComponent("op_resize.onnx").path, "--inputs", "/nonexistent.safetensors", "--out", out.path])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("/nonexistent.safetensors"), missing.stderr)
    }
}
