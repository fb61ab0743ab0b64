import XCTest
import Checkpoints
import Tensor
@testable import MIQA

/// Every architecture against PyTorch: tiny variants of the nine models (same code paths, reduced
/// widths and depths) built by `tools/oracle/make_fixtures.py` with random weights, saved in the
/// original's checkpoint layout (`{'state_dict': {'module.' + k: v}}` in torch's zip format), and the
/// outputs PyTorch computed on fixed inputs.
final class ArchitectureParityTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/models")

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
}
