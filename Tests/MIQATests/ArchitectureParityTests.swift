import XCTest
import Checkpoints
import Tensor
@testable import MIQA

/// Every architecture against PyTorch: tiny variants of the nine models and the MobileNetV2 machine (same code paths, reduced
/// widths and depths) built by `tools/oracle/make_fixtures.py` with random weights, saved in the
/// original's checkpoint layout (`{'state_dict': {'module.' + k: v}}` in torch's zip format), and the
/// outputs PyTorch computed on fixed inputs.
final class ArchitectureParityTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/models")
    /// The fixtures' architectures: the nine predictors and the MobileNetV2 machine.
    static let architectures = ["resnet18", "resnet50", "efficientnet_b1", "efficientnet_b5", "vit_small_patch16_224", "ra_miqa",
                                "efficientnet_lite0", "efficientnet_lite1", "efficientnet_lite2", "mobilenet_v2"]

    private func check(_ name: String, tolerance: Float = 1e-4, file: StaticString = #filePath, line: UInt = #line) throws {
        let dir = Self.fixtures.appendingPathComponent(name)
        let config = try ArchitectureConfig.load(dir.appendingPathComponent("config.json"))
        let model = try ModelRegistry.build(config, weights: WeightLoading.tensors(from: dir.appendingPathComponent("model.pth.tar")))
        let io = try SafetensorsReader.read(dir.appendingPathComponent("io.safetensors"))
        var inputNames = io.names.filter { $0.hasPrefix("input") && !$0.hasPrefix("input_region") }.sorted()
        XCTAssertFalse(inputNames.isEmpty, "\(name): no inputs in fixture", file: file, line: line)
        // Each input tensor `inputX` has its output `outputX` (and region view `input_regionX`).
        inputNames = inputNames.filter { io[$0.replacingOccurrences(of: "input", with: "output")] != nil }
        XCTAssertFalse(inputNames.isEmpty, "\(name): no input/output pairs", file: file, line: line)
        for inputName in inputNames {
            let suffix = String(inputName.dropFirst("input".count))
            let x = io[inputName]!
            var views = [Layout.nchwToNHWC(Tensor(shape: x.shape, values: x.values))]
            if let r = io["input_region" + suffix] {
                views.append(Layout.nchwToNHWC(Tensor(shape: r.shape, values: r.values)))
            }
            let want = io["output" + suffix]!
            let got = model.forward(views)
            XCTAssertEqual(got.count, want.values.count, "\(name) \(inputName): output size", file: file, line: line)
            let diff = zip(got.values, want.values).map { abs($0 - $1) }.max() ?? .infinity
            print("parity \(name) \(inputName): max abs diff \(diff)")
            XCTAssertLessThanOrEqual(diff, tolerance, "\(name) \(inputName): max abs diff \(diff)", file: file, line: line)
            // Guard against a vacuous pass: the expected outputs are not all zero.
            XCTAssertGreaterThan(want.values.map(abs).max() ?? 0, 1e-3, "\(name): degenerate fixture", file: file, line: line)
        }
    }

    func testResNet18() throws { try check("resnet18") }
    func testResNet50() throws { try check("resnet50") }
    func testEfficientNetB1() throws { try check("efficientnet_b1") }
    func testEfficientNetB5() throws { try check("efficientnet_b5") }
    func testViTSmall() throws { try check("vit_small_patch16_224") }
    func testRAMIQA() throws { try check("ra_miqa") }
    func testEfficientNetLite0() throws { try check("efficientnet_lite0") }
    func testEfficientNetLite1() throws { try check("efficientnet_lite1") }
    func testEfficientNetLite2() throws { try check("efficientnet_lite2") }
    func testMobileNetV2() throws { try check("mobilenet_v2") }
}

extension ArchitectureParityTests {
    /// The parity check can fail: a single perturbed weight changes the output beyond tolerance.
    func testPerturbedWeightIsDetected() throws {
        let dir = Self.fixtures.appendingPathComponent("resnet50")
        let config = try ArchitectureConfig.load(dir.appendingPathComponent("config.json"))
        var weights = try WeightLoading.tensors(from: dir.appendingPathComponent("model.pth.tar"))
        weights["fc.bias"]!.data[0] += 1e-3
        let model = try ModelRegistry.build(config, weights: weights)
        let io = try SafetensorsReader.read(dir.appendingPathComponent("io.safetensors"))
        let got = model.forward([Layout.nchwToNHWC(Tensor(shape: io["input"]!.shape, values: io["input"]!.values))])
        let diff = zip(got.values, io["output"]!.values).map { abs($0 - $1) }.max()!
        XCTAssertGreaterThan(diff, 1e-4)
    }

    /// Loading is all or nothing: missing, unexpected and mis-shaped keys are reported by name.
    func testKeyMismatchesAreNamed() throws {
        let dir = Self.fixtures.appendingPathComponent("vit_small_patch16_224")
        let config = try ArchitectureConfig.load(dir.appendingPathComponent("config.json"))
        var weights = try WeightLoading.tensors(from: dir.appendingPathComponent("model.pth.tar"))
        weights["head.weight"] = nil
        weights["extra.thing"] = Tensor(zeros: [2])
        weights["norm.bias"] = Tensor(zeros: [31])
        XCTAssertThrowsError(try ModelRegistry.build(config, weights: weights)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("missing 1 key(s): head.weight"), text)
            XCTAssertTrue(text.contains("unexpected 1 key(s): extra.thing"), text)
            XCTAssertTrue(text.contains("norm.bias: expected shape [32], found [31]"), text)
        }
    }
}
