import XCTest
@testable import Tensor

/// Every differentiable op's backward against central finite differences of its forward.
/// The scalar checked is `mse(op(inputs), target)` with a fixed random target, so every output
/// element contributes; up to 24 elements of each input are probed.
final class BackwardTests: XCTestCase {
    private func variable(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Variable {
        let n = shape.reduce(1, *)
        return Variable(Tensor(shape: shape, values: Reference.random(n, seed: seed).map { $0 * scale }), requiresGrad: true)
    }

    private func check(_ name: String, _ inputs: [Variable], step: Float = 1e-2, tolerance: Float = 1e-2,
                       file: StaticString = #filePath, line: UInt = #line, _ f: (Tape?) -> Variable) {
        let probe = f(nil)
        let target = Tensor(shape: probe.value.shape, values: Reference.random(probe.value.count, seed: 99))
        let tape = Tape()
        let loss = Loss.mse(f(tape), target: target, tape: tape)
        for v in inputs { v.zeroGrad() }
        tape.backward(from: loss)
        func value() -> Double { Double(Loss.mse(f(nil), target: target, tape: nil).value.values[0]) }
        for (k, v) in inputs.enumerated() {
            let analytic = v.grad?.values ?? [Float](repeating: 0, count: v.value.count)
            let scale = max(analytic.map(abs).max() ?? 0, 1e-3)
            let stride = max(1, v.value.count / 24)
            for i in Swift.stride(from: 0, to: v.value.count, by: stride) {
                let old = v.value.data[i]
                v.value.data[i] = old + step; let up = value()
                v.value.data[i] = old - step; let down = value()
                v.value.data[i] = old
                let numeric = Float((up - down) / Double(2 * step))
                XCTAssertLessThan(abs(numeric - analytic[i]) / scale, tolerance,
                                  "\(name): input \(k) element \(i): numeric \(numeric) vs analytic \(analytic[i])", file: file, line: line)
            }
        }
    }

    func testConvolutionStridedDepthwiseSamePadding() {
        let x = variable([2, 7, 6, 4], seed: 1)
        for (groups, stride, padding, bias) in [(1, 2, ConvPadding.symmetric(1), true), (4, 2, .same, false),
                                               (2, 1, .explicit(top: 0, left: 1, bottom: 2, right: 0), true)] {
            let k = Conv2dTrainingKernel(inChannels: 4, outChannels: 4, kernel: (3, 3), stride: (stride, stride), padding: padding,
                                         groups: groups, bias: bias)
            let w = variable(k.weightShape, seed: 2, scale: 0.5)
            let b = bias ? variable([4], seed: 3) : nil
            check("conv g\(groups) s\(stride) \(padding)", [x, w] + (b.map { [$0] } ?? [])) { tape in
                Differentiable.conv2d(x, k, weight: w, bias: b, tape: tape)
            }
        }
    }

    func testBatchNormTrainAndEval() {
        let x = variable([3, 4, 3, 5], seed: 4)
        let g = variable([5], seed: 5), b = variable([5], seed: 6)
        let k = BatchNormKernel(channels: 5, eps: 1e-5)
        for training in [true, false] {
            let rm = Tensor(shape: [5], values: Reference.random(5, seed: 7)), rv = Tensor(shape: [5], values: [0.5, 1, 1.5, 2, 0.7])
            check("batchnorm training=\(training)", [x, g, b], step: 1e-2, tolerance: 2e-2) { tape in
                Differentiable.batchNorm(x, k, gamma: g, beta: b, runningMean: rm.copy(), runningVariance: rv.copy(), momentum: 0.1,
                                         training: training, tape: tape)
            }
        }
    }

    func testRunningStatisticsUseUnbiasedVariance() {
        let x = Tensor(shape: [2, 1, 1, 1], values: [1, 3])
        let k = BatchNormKernel(channels: 1, eps: 0)
        let (_, mean, variance) = k.forwardTraining(x, gamma: Tensor(shape: [1], values: [1]), beta: Tensor(zeros: [1]))
        XCTAssertEqual(mean.data[0], 2); XCTAssertEqual(variance.data[0], 1) // biased for normalisation
        let rm = Tensor(zeros: [1]), rv = Tensor(shape: [1], values: [1])
        BatchNormKernel.updateRunning(mean: rm, variance: rv, batchMean: mean, batchVariance: variance, elementsPerChannel: 2, momentum: 0.1)
        XCTAssertEqual(rm.data[0], 0.2, accuracy: 1e-7)
        XCTAssertEqual(rv.data[0], 0.9 + 0.1 * 2, accuracy: 1e-6) // unbiased: 1 * 2 / 1
    }

    func testActivations() {
        for kind in ActivationKind.allCases {
            // Values kept away from ReLU's and ReLU6's kinks, where the derivative jumps.
            let values = Reference.random(40, seed: 8).enumerated().map { i, v in (v * 4 + (i % 2 == 0 ? 0.3 : 6.5)) * (i % 3 == 0 ? -1 : 1) }
            let x = Variable(Tensor(shape: [40], values: values.map { abs($0 - 6) < 0.05 || abs($0) < 0.05 ? $0 + 0.2 : $0 }), requiresGrad: true)
            check("\(kind)", [x], step: 1e-3) { tape in Differentiable.activation(x, kind, tape: tape) }
        }
    }

    func testLinearLayerNormAttention() {
        let x = variable([2, 5, 8], seed: 9)
        let w = variable([12, 8], seed: 10, scale: 0.4), b = variable([12], seed: 11)
        check("linear", [x, w, b]) { tape in Differentiable.linear(x, weight: w, bias: b, tape: tape) }
        let lw = variable([8], seed: 12), lb = variable([8], seed: 13)
        check("layernorm", [x, lw, lb]) { tape in Differentiable.layerNorm(x, weight: lw, bias: lb, eps: 1e-6, tape: tape) }
        let qkv = variable([2, 5, 24], seed: 14)
        check("attention", [qkv]) { tape in Differentiable.attention(qkv, heads: 2, tape: tape) }
    }

    func testPoolingScaleAndTokens() {
        let x = variable([2, 5, 6, 3], seed: 15)
        check("maxpool", [x], step: 1e-3) { tape in Differentiable.maxPool2d(x, kernel: 3, stride: 2, padding: 1, tape: tape) }
        check("global average", [x]) { tape in Differentiable.globalAveragePool(x, tape: tape) }
        let s = variable([2, 3], seed: 16)
        check("scale channels", [x, s]) { tape in Differentiable.scaleChannels(x, by: s, tape: tape) }
        let patches = variable([2, 4, 6], seed: 17), cls = variable([1, 1, 6], seed: 18), region = variable([2, 6], seed: 19)
        let pos = variable([1, 6, 6], seed: 20)
        check("tokens", [patches, cls, region, pos]) { tape in
            let t = Differentiable.assembleTokens(prefix: [region, cls], patches: patches, position: pos, tape: tape)
            let r = Differentiable.reshape(t, [2, 36], tape: tape)
            let pooled = Differentiable.concatFeatures([Differentiable.selectToken(t, index: 1, tape: tape), r], tape: tape)
            return pooled
        }
    }

    func testDropoutAndLosses() {
        let x = variable([4, 10], seed: 21)
        check("dropout", [x]) { tape in
            var g = DropoutGenerator(seed: 5)
            return Differentiable.dropout(x, p: 0.5, generator: &g, tape: tape)
        }
        let r = variable([6, 2, 2, 3], seed: 24)
        check("drop path", [r]) { tape in
            var g = DropoutGenerator(seed: 6)
            return Differentiable.dropPath(r, p: 0.5, generator: &g, tape: tape)
        }
        var dp = DropoutGenerator(seed: 6)
        let kept = Differentiable.dropPath(r, p: 0.5, generator: &dp, tape: nil).value.values
        for s in 0..<6 {
            let row = Array(kept[(s * 12)..<((s + 1) * 12)]), x0 = Array(r.value.values[(s * 12)..<((s + 1) * 12)])
            XCTAssertTrue(row.allSatisfy { $0 == 0 } || zip(row, x0).allSatisfy { abs($0 - 2 * $1) < 1e-6 }, "sample \(s) partly dropped")
        }
        var g = DropoutGenerator(seed: 5)
        let y = Differentiable.dropout(x, p: 0.5, generator: &g, tape: nil).value.values
        let zeros = y.filter { $0 == 0 }.count
        XCTAssertTrue(zeros > 5 && zeros < 35, "dropout zeroed \(zeros) of 40")
        for (i, v) in y.enumerated() where v != 0 { XCTAssertEqual(v, 2 * x.value.data[i], accuracy: 1e-6) }

        // Huber (SmoothL1, beta 0.5) and L1 values and gradients by hand.
        let p = Variable(Tensor(shape: [3], values: [0.1, 1.0, -2.0]), requiresGrad: true)
        let t = Tensor(shape: [3], values: [0, 0, 0])
        let third = 1.0 / 3
        let cases: [(Loss, Double, [Double])] = [(.huber, 2.51 * third, [0.2 * third, third, -third]),
                                                 (.l1, 3.1 * third, [third, third, -third])]
        for (loss, want, grad) in cases {
            let tape = Tape()
            p.zeroGrad()
            let l = loss(p, target: t, tape: tape)
            tape.backward(from: l)
            XCTAssertEqual(Double(l.value.values[0]), want, accuracy: 1e-6, "\(loss)")
            for i in 0..<3 { XCTAssertEqual(Double(p.grad!.data[i]), grad[i], accuracy: 1e-6, "\(loss) grad \(i)") }
        }
    }

    /// Without a tape nothing is recorded and no gradient appears: inference pays nothing.
    func testNoTapeRecordsNothing() {
        let x = variable([2, 8], seed: 22), w = variable([3, 8], seed: 23)
        let y = Differentiable.linear(x, weight: w, bias: nil, tape: nil)
        XCTAssertFalse(y.requiresGrad)
        let tape = Tape()
        let frozen = Variable(w.value)
        let z = Differentiable.linear(Variable(x.value), weight: frozen, bias: nil, tape: tape)
        XCTAssertEqual(tape.count, 0)
        XCTAssertFalse(z.requiresGrad)
    }
}
