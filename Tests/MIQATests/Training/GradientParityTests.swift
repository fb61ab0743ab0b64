import XCTest
import Checkpoints
import Tensor
@testable import MIQA

/// Gradients of the trainable architectures against PyTorch autograd: the tiny fixture models
/// (weights from `Fixtures/models/<name>/model.pth.tar`) in train mode on a fixed batch, MSE
/// against fixed targets (`tools/training/make_grad_fixtures.py`). The loss must agree within
/// 1e-4 relative, every parameter gradient within 1e-3 of that gradient's largest magnitude, and
/// the BatchNorm running statistics after the step within 1e-4.
final class GradientParityTests: XCTestCase {
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let models = here.deletingLastPathComponent().appendingPathComponent("Fixtures/models")

    static func tensor(_ t: StoredTensor) -> Tensor { Tensor(shape: t.shape, values: t.values) }

    private func check(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let dir = Self.models.appendingPathComponent(name)
        let config = try ArchitectureConfig.load(dir.appendingPathComponent("config.json"))
        let weights = try WeightLoading.tensors(from: dir.appendingPathComponent("model.pth.tar"))
        let fx = try SafetensorsReader.read(Self.here.appendingPathComponent("Fixtures/\(name).safetensors"))
        let model = try TrainableModels.build(config, weights: weights, headDropout: 0, stochasticDepth: 0)
        var views = [Layout.nchwToNHWC(Self.tensor(fx["input"]!))]
        if let r = fx["input_region"] { views.append(Layout.nchwToNHWC(Self.tensor(r))) }
        let tape = Tape()
        let out = model.forward(views, context: ForwardContext(tape: tape, training: true))
        let loss = Loss.mse(out, target: Self.tensor(fx["target"]!), tape: tape)
        tape.backward(from: loss)

        let wantLoss = fx["loss"]!.values[0]
        let lossError = abs(loss.value.values[0] - wantLoss) / abs(wantLoss)
        XCTAssertLessThan(lossError, 1e-4, "\(name): loss \(loss.value.values[0]) vs \(wantLoss)", file: file, line: line)

        var worst: (Float, String) = (0, "")
        let expected = Set(fx.names.filter { $0.hasPrefix("grad.") }.map { String($0.dropFirst(5)) })
        XCTAssertEqual(Set(model.parameters.map(\.name)), expected, "\(name): trainable parameter names", file: file, line: line)
        // A gradient that is zero in exact arithmetic (the bias of a BatchNorm whose output reaches
        // the loss only through a 1x1 convolution and another train-mode BatchNorm, which removes
        // any per-channel shift) is float noise (1e-8 against gradients of order 1) in both frameworks; such tensors are
        // measured against 1e-3 of the model's largest gradient instead of their own noise.
        let globalMax = fx.names.filter { $0.hasPrefix("grad.") }.map { fx[$0]!.values.map(abs).max() ?? 0 }.max() ?? 1
        for (pname, v) in model.parameters {
            guard let want = fx["grad." + pname] else { continue }
            let got = v.grad?.values ?? [Float](repeating: 0, count: want.values.count)
            let scale = max(want.values.map(abs).max() ?? 0, 1e-3 * globalMax)
            let err = zip(got, want.values).map { abs($0 - $1) }.max()! / scale
            if err > worst.0 { worst = (err, pname) }
            XCTAssertLessThan(err, 1e-3, "\(name): gradient of \(pname) off by \(err) relative", file: file, line: line)
        }
        let exported = model.exportWeights()
        var worstStat: Float = 0
        for key in fx.names where key.hasPrefix("running.") {
            let bname = String(key.dropFirst("running.".count))
            guard let got = exported[bname] else { XCTFail("\(name): no \(bname) exported", file: file, line: line); continue }
            let err = zip(got.values, fx[key]!.values).map { abs($0 - $1) / max(1, abs($1)) }.max()!
            worstStat = max(worstStat, err)
        }
        XCTAssertLessThan(worstStat, 1e-4, "\(name): running statistics", file: file, line: line)
        print("gradient parity \(name): loss rel \(lossError), worst gradient rel \(worst.0) (\(worst.1)), running stats \(worstStat)")
    }

    func testResNet18() throws { try check("resnet18") }
    func testViTSmall() throws { try check("vit_small_patch16_224") }
    func testEfficientNetLite0() throws { try check("efficientnet_lite0") }
    func testRAMIQA() throws { try check("ra_miqa") }
    func testResNet50() throws { try check("resnet50") }
    func testEfficientNetB1() throws { try check("efficientnet_b1") }
    func testEfficientNetB5() throws { try check("efficientnet_b5") }
    func testEfficientNetLite1() throws { try check("efficientnet_lite1") }
    func testEfficientNetLite2() throws { try check("efficientnet_lite2") }

    /// The trained weights go back into the inference model: exported names are exactly what
    /// `ModelRegistry.build` expects (running statistics included).
    func testExportBuildsTheInferenceModel() throws {
        for name in ["resnet18", "efficientnet_b1", "efficientnet_lite0", "vit_small_patch16_224", "ra_miqa"] {
            let dir = Self.models.appendingPathComponent(name)
            let config = try ArchitectureConfig.load(dir.appendingPathComponent("config.json"))
            let weights = try WeightLoading.tensors(from: dir.appendingPathComponent("model.pth.tar"))
            let model = try TrainableModels.build(config, weights: weights)
            XCTAssertNoThrow(try ModelRegistry.build(config, weights: model.exportWeights()), name)
        }
    }
}
