import Foundation
import Tensor

/// Inference-time BatchNorm: `y = (x - mean) / sqrt(var + eps) * gamma + beta`, folded into the
/// preceding convolution's weights and bias so that it costs nothing at run time.
/// (Training keeps BatchNorm as its own op; folding is an inference-only rewrite.)
enum BatchNormFolding {
    /// Loads `<scope>.{weight,bias,running_mean,running_var}` for `channels` and returns the
    /// convolution weight (`[O, ...]`) and bias with the normalisation folded in.
    static func fold(convWeight w: Tensor, convBias: Tensor?, bn scope: ParameterScope, eps: Float,
                     from store: ParameterStore) -> (Tensor, Tensor) {
        let c = w.shape[0]
        let gamma = store.take(scope.key("weight"), [c])
        let beta = store.take(scope.key("bias"), [c])
        let mean = store.take(scope.key("running_mean"), [c])
        let variance = store.take(scope.key("running_var"), [c])
        store.ignore(scope.key("num_batches_tracked"))
        let per = w.count / c
        let folded = Tensor(uninitializedShape: w.shape)
        let bias = Tensor(uninitializedShape: [c])
        for o in 0..<c {
            // Double for the scale: it is applied to every weight of the channel.
            let scale = Double(gamma.data[o]) / (Double(variance.data[o]) + Double(eps)).squareRoot()
            for i in 0..<per { folded.data[o * per + i] = Float(Double(w.data[o * per + i]) * scale) }
            let b0 = Double(convBias?.data[o] ?? 0)
            bias.data[o] = Float((b0 - Double(mean.data[o])) * scale + Double(beta.data[o]))
        }
        return (folded, bias)
    }
}
