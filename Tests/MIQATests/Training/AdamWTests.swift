import XCTest
import Checkpoints
import Tensor
@testable import MIQA

/// AdamW against `torch.optim.AdamW` on fixed parameters and gradients (three steps, the
/// original's hyper-parameters and decay groups), and the schedule's formula at its corners.
final class AdamWTests: XCTestCase {
    func testThreeStepsMatchPyTorch() throws {
        let fx = try SafetensorsReader.read(GradientParityTests.here.appendingPathComponent("Fixtures/adamw.safetensors"))
        let names = fx.names.filter { $0.hasPrefix("init.") }.map { String($0.dropFirst(5)) }.sorted()
        let params = names.map { ($0, Variable(GradientParityTests.tensor(fx["init." + $0]!), requiresGrad: true)) }
        let opt = AdamW(weightDecay: 1e-4)
        var worst: Float = 0
        for step in 1...3 {
            for (name, v) in params {
                v.zeroGrad()
                v.addGrad(GradientParityTests.tensor(fx["grad\(step).\(name)"]!))
            }
            opt.update(params.map { (name: $0.0, variable: $0.1) }, lr: 1e-4)
            for (name, v) in params {
                let want = fx["after\(step).\(name)"]!.values
                let scale = want.map(abs).max()!
                let err = zip(v.value.values, want).map { abs($0 - $1) }.max()! / scale
                XCTAssertLessThan(err, 1e-5, "step \(step) \(name)")
                worst = max(worst, err)
            }
        }
        print("AdamW parity: worst relative error \(worst) over 3 steps")
        XCTAssertTrue(AdamW.decays("layer.weight", shape: [8, 4]))
        XCTAssertFalse(AdamW.decays("layer.bias", shape: [8]))
        XCTAssertFalse(AdamW.decays("norm.weight", shape: [8]))
    }

    func testScheduleCorners() {
        let s = CosineSchedule(base: 1e-4, warmupSteps: 10, totalSteps: 110)
        XCTAssertEqual(s.lr(at: 0), 5e-6, accuracy: 1e-15)
        XCTAssertEqual(s.lr(at: 5), 5e-6 + (1e-4 - 5e-6) / 2, accuracy: 1e-15)
        XCTAssertEqual(s.lr(at: 10), 1e-4, accuracy: 1e-15)
        XCTAssertEqual(s.lr(at: 60), 1e-8 + (1e-4 - 1e-8) / 2, accuracy: 1e-12)
        XCTAssertEqual(s.lr(at: 110), 1e-8, accuracy: 1e-15)
    }
}
