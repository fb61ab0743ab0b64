import Foundation
import Tensor

/// Times training steps (forward, backward, AdamW update) on random data, for comparing with
/// PyTorch (`tools/training/bench_train.py`). Fresh weights; the input batch is fixed so only the
/// step is measured, not decoding.
public enum TrainingBenchmark {
    /// Seconds per step for `steps` timed steps after `warmup` untimed ones.
    public static func stepTimes(model name: String, batch: Int, steps: Int, warmup: Int = 1,
                                 profile: ((String) -> Void)? = nil) throws -> [Double] {
        guard var config = ModelRegistry.config(named: name) else { throw TrainingError.unknownModel(name) }
        config.numOutputs = 1
        let model = try TrainableModels.build(config, weights: FreshWeights.make(config, seed: 1))
        let views = InputView.views(for: config).map { view -> Tensor in
            let t = Tensor(uninitializedShape: [batch, view.crop, view.crop, 3])
            var g = DropoutGenerator(seed: 3)
            for i in 0..<t.count { t.data[i] = 2 * g.nextUnit() - 1 }
            return t
        }
        let target = Tensor(shape: [batch, 1], values: (0..<batch).map { Float($0) / Float(batch) })
        let optimiser = AdamW(weightDecay: 1e-4)
        var times: [Double] = []
        for step in 0..<(warmup + steps) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let tape = Tape()
            let out = model.forward(views, context: ForwardContext(tape: tape, training: true, dropoutSeed: UInt64(step)))
            let loss = Loss.mse(out, target: target, tape: tape)
            let t1 = DispatchTime.now().uptimeNanoseconds
            for p in model.parameters { p.variable.zeroGrad() }
            tape.backward(from: loss)
            let t2 = DispatchTime.now().uptimeNanoseconds
            optimiser.update(model.parameters, lr: 1e-4)
            let t3 = DispatchTime.now().uptimeNanoseconds
            if step >= warmup {
                times.append(Double(t3 - t0) / 1e9)
                profile?(String(format: "forward %.3f s, backward %.3f s, update %.3f s", Double(t1 - t0) / 1e9,
                                Double(t2 - t1) / 1e9, Double(t3 - t2) / 1e9))
            }
        }
        return times
    }
}
