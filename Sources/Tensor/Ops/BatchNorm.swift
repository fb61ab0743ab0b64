import Foundation
import CDNNL

/// Batch normalisation over channels-last activations `[N, H, W, C]` (PyTorch `BatchNorm2d`),
/// the training form: inference folds BatchNorm into the preceding convolution instead
/// (`BatchNormFolding` in MIQA).
///
/// Train mode normalises with the batch's own statistics (biased variance) through oneDNN's
/// `batch_normalization_forward_training`, and its backward (`batch_normalization_backward`,
/// which returns dx, dgamma and dbeta). Eval mode uses given statistics and is plain Swift.
public final class BatchNormKernel: @unchecked Sendable {
    public let channels: Int
    public let eps: Float

    private struct Plan {
        let forward: Primitive, backward: BackwardPrimitive
        let data: dnnl_memory_desc_t, stat: dnnl_memory_desc_t
    }
    private let plans = PrimitiveCache<Plan>()

    public init(channels: Int, eps: Float) {
        self.channels = channels
        self.eps = eps
    }

    private func plan(_ shape: [Int]) -> Plan {
        plans.get("\(shape)") {
            let (n, h, w) = (shape[0], shape.count == 4 ? shape[1] : 1, shape.count == 4 ? shape[2] : 1)
            var data = DNNL.md([n, channels, h, w], dnnl_nhwc)
            let flags = dnnl_use_scale.rawValue | dnnl_use_shift.rawValue
            var fd = dnnl_batch_normalization_desc_t()
            DNNL.check(dnnl_batch_normalization_forward_desc_init(&fd, dnnl_forward_training, &data, eps, flags), "bn desc")
            let forward = Primitive(&fd, name: "batchnorm \(channels)")
            var bd = dnnl_batch_normalization_desc_t()
            DNNL.check(dnnl_batch_normalization_backward_desc_init(&bd, dnnl_backward, &data, &data, eps, flags), "bn bwd desc")
            let backward = BackwardPrimitive(&bd, hint: forward, name: "batchnorm bwd \(channels)")
            return Plan(forward: forward, backward: backward, data: data, stat: DNNL.md([channels], dnnl_a))
        }
    }

    /// Train-mode forward: returns `y` and the batch mean and biased variance per channel.
    public func forwardTraining(_ x: Tensor, gamma: Tensor, beta: Tensor) -> (y: Tensor, mean: Tensor, variance: Tensor) {
        precondition(x.shape.last == channels, "batch norm expects \(channels) channels, got \(x.shape)")
        let p = plan(x.shape)
        let y = Tensor(uninitializedShape: x.shape)
        let mean = Tensor(uninitializedShape: [channels]), variance = Tensor(uninitializedShape: [channels])
        p.forward.execute([
            (DNNL.argSrc, p.data, UnsafeMutableRawPointer(x.data)),
            (DNNL.argDst, p.data, UnsafeMutableRawPointer(y.data)),
            (DNNL.argScale, p.stat, UnsafeMutableRawPointer(gamma.data)),
            (DNNL.argShift, p.stat, UnsafeMutableRawPointer(beta.data)),
            (DNNL.argMean, p.stat, UnsafeMutableRawPointer(mean.data)),
            (DNNL.argVariance, p.stat, UnsafeMutableRawPointer(variance.data)),
        ])
        return (y, mean, variance)
    }

    /// Backward of `forwardTraining` (the statistics depend on x, which the formula accounts for):
    /// dx, dgamma, dbeta.
    public func backwardTraining(_ dy: Tensor, x: Tensor, gamma: Tensor, mean: Tensor, variance: Tensor)
        -> (dx: Tensor, dgamma: Tensor, dbeta: Tensor) {
        let p = plan(x.shape)
        let dx = Tensor(uninitializedShape: x.shape)
        let dg = Tensor(uninitializedShape: [channels]), db = Tensor(uninitializedShape: [channels])
        p.backward.execute([
            (DNNL.argSrc, p.data, UnsafeMutableRawPointer(x.data)),
            (DNNL.argMean, p.stat, UnsafeMutableRawPointer(mean.data)),
            (DNNL.argVariance, p.stat, UnsafeMutableRawPointer(variance.data)),
            (DNNL.argDiffDst, p.data, UnsafeMutableRawPointer(dy.data)),
            (DNNL.argScale, p.stat, UnsafeMutableRawPointer(gamma.data)),
            // oneDNN 2.6 lists the shift as an input of the backward pass although dx does not
            // depend on it; any buffer of the right size satisfies the check.
            (DNNL.argShift, p.stat, UnsafeMutableRawPointer(dg.data)),
            (DNNL.argDiffSrc, p.data, UnsafeMutableRawPointer(dx.data)),
            (DNNL.argDiffScale, p.stat, UnsafeMutableRawPointer(dg.data)),
            (DNNL.argDiffShift, p.stat, UnsafeMutableRawPointer(db.data)),
        ])
        return (dx, dg, db)
    }

    /// PyTorch's running-statistics update after a train-mode step:
    /// `running = (1 - momentum) * running + momentum * batch`, where the batch variance is the
    /// unbiased one (`biased * m / (m - 1)`, m = N*H*W) although normalisation used the biased one.
    public static func updateRunning(mean runningMean: Tensor, variance runningVar: Tensor, batchMean: Tensor,
                                     batchVariance: Tensor, elementsPerChannel m: Int, momentum: Float) {
        let correction = m > 1 ? Float(m) / Float(m - 1) : 1
        for c in 0..<runningMean.count {
            runningMean.data[c] = (1 - momentum) * runningMean.data[c] + momentum * batchMean.data[c]
            runningVar.data[c] = (1 - momentum) * runningVar.data[c] + momentum * batchVariance.data[c] * correction
        }
    }

    /// Eval-mode forward with fixed statistics: `y = (x - mean) / sqrt(var + eps) * gamma + beta`.
    public func forwardInference(_ x: Tensor, gamma: Tensor, beta: Tensor, mean: Tensor, variance: Tensor) -> Tensor {
        let c = channels
        var scale = [Float](repeating: 0, count: c), shift = [Float](repeating: 0, count: c)
        // In double, then rounded once: the same per-channel affine map the inference side's
        // BatchNorm folding computes, so eval-mode training and inference agree.
        for j in 0..<c {
            let sc = Double(gamma.data[j]) / (Double(variance.data[j]) + Double(eps)).squareRoot()
            scale[j] = Float(sc)
            shift[j] = Float(Double(beta.data[j]) - Double(mean.data[j]) * sc)
        }
        let y = Tensor(uninitializedShape: x.shape)
        let rows = x.count / c
        scale.withUnsafeBufferPointer { s in shift.withUnsafeBufferPointer { t in
            parallelFor(rows, minimumPerThread: 256) { range in
                for r in range {
                    let src = x.data + r * c, dst = y.data + r * c
                    for j in 0..<c { dst[j] = src[j] * s[j] + t[j] }
                }
            }
        } }
        return y
    }

    /// Backward of `forwardInference`: dx = dy * gamma / sqrt(var + eps), dgamma = sum dy * xhat,
    /// dbeta = sum dy.
    public func backwardInference(_ dy: Tensor, x: Tensor, gamma: Tensor, mean: Tensor, variance: Tensor)
        -> (dx: Tensor, dgamma: Tensor, dbeta: Tensor) {
        let c = channels, rows = x.count / c
        var inv = [Float](repeating: 0, count: c)
        for j in 0..<c { inv[j] = 1 / (variance.data[j] + eps).squareRoot() }
        let dx = Tensor(uninitializedShape: x.shape)
        let dg = Tensor(uninitializedShape: [c]), db = Tensor(uninitializedShape: [c])
        inv.withUnsafeBufferPointer { inv in
            parallelFor(rows, minimumPerThread: 256) { range in
                for r in range {
                    let g = dy.data + r * c, d = dx.data + r * c
                    for j in 0..<c { d[j] = g[j] * gamma.data[j] * inv[j] }
                }
            }
            columnSums(rows: rows, width: c, into: dg.data) { r, acc in
                let g = dy.data + r * c, xv = x.data + r * c
                for j in 0..<c { acc[j] += g[j] * (xv[j] - mean.data[j]) * inv[j] }
            }
        }
        columnSums(rows: rows, width: c, into: db.data) { r, acc in
            let g = dy.data + r * c
            for j in 0..<c { acc[j] += g[j] }
        }
        return (dx, dg, db)
    }
}
